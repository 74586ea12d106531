"""Train the complaint classifier.

From scratch: a lowercase WordPiece tokenizer trained on the training texts and a
compact BERT. With ``base``: fine-tune a local Hugging Face checkpoint (e.g. IndoBERT)
and reuse its tokenizer. Either way the output folder describes itself: weights,
config with ``id2label``, tokenizer, ``metrics.json`` and a model card.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import random
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import torch
import transformers
from sklearn.metrics import f1_score
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers
from tqdm.auto import tqdm
from transformers import (
    AutoModelForSequenceClassification,
    AutoTokenizer,
    BertConfig,
    BertForMaskedLM,
    BertForSequenceClassification,
    BertTokenizerFast,
    get_linear_schedule_with_warmup,
)

from classifiers.augment import augment_text, frame_text
from classifiers.baseline import TfidfBaseline
from classifiers.data.io import read_examples
from classifiers.data.split import stratified_split
from classifiers.labels import MODEL_LABELS, check_label
from classifiers.metrics import choose_threshold, classification_metrics
from classifiers.model_card import write_model_card
from classifiers.text import clean_text

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


@dataclass(frozen=True)
class ModelSpec:
    """Shape of a model trained from scratch."""

    layers: int = 2
    hidden: int = 256
    heads: int = 4
    intermediate: int = 1024
    max_len: int = 128
    vocab_size: int = 8000
    dropout: float = 0.0
    """The teacher's soft targets on noisy copies regularise enough; dropout on top cost macro-F1."""


@dataclass(frozen=True)
class TrainOptions:
    """Optimisation settings; ``lr=None`` picks 1e-3 from scratch, 5e-5 for a large base."""

    epochs: int = 3
    batch_size: int = 32
    lr: float | None = None
    weight_decay: float = 0.01
    warmup_fraction: float = 0.06
    patience: int = 3
    val_fraction: float = 0.1
    augment_probability: float = 0.5
    extra_repeat: int = 3
    mlm_epochs: int = 0
    distill_weight: float = 1.0
    label_smoothing: float = 0.0
    augment_copies: int = 2
    """Noisy copies of each training text, labelled by the TF-IDF teacher (0: augment on the fly)."""
    frame_probability: float = 0.3
    mix_copies: int = 0
    """Copies that join a crop of the text with a crop of another one: the teacher labels the mixture,
    so the student learns its behaviour on long, multi-topic texts it never saw whole."""
    """Share of noisy copies wrapped like a real portal message (greeting, identity lines, sign-off)."""


DEFAULT_SPEC = ModelSpec()
TINY_SPEC = ModelSpec(layers=1, hidden=64, heads=2, intermediate=128, max_len=64, vocab_size=2000)
LABEL2ID = {label: i for i, label in enumerate(MODEL_LABELS)}


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and torch; ask torch for deterministic kernels."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def train_tokenizer(texts: Iterable[str], vocab_size: int, max_len: int) -> BertTokenizerFast:
    """Lowercase WordPiece tokenizer trained on ``texts``, wrapped for ``transformers``.

    The ``tokenizers`` trainer breaks ties between equally frequent merges in a per-process
    hash order, so two runs give slightly different vocabularies (and token ids). That is why
    the shipped model's vocabulary is committed (``save_vocab``/``load_vocab``) and reused.
    """
    raw = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    raw.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True, clean_text=True)
    raw.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIAL_TOKENS)
    raw.train_from_iterator(list(texts), trainer=trainer)
    return tokenizer_from_vocab(raw.get_vocab(), max_len)


def tokenizer_from_vocab(vocab: Mapping[str, int], max_len: int) -> BertTokenizerFast:
    """The lowercase WordPiece tokenizer over ``vocab`` (token -> id)."""
    tokenizer = BertTokenizerFast(vocab=dict(vocab), do_lower_case=True, strip_accents=True)
    tokenizer.model_max_length = max_len
    return tokenizer


def save_vocab(tokenizer, path: Path) -> None:
    """One token per line in id order (the ``vocab.txt`` format of BERT)."""
    vocab = tokenizer.get_vocab()
    tokens = sorted(vocab, key=vocab.__getitem__)
    if [vocab[t] for t in tokens] != list(range(len(tokens))):
        raise ValueError("token ids are not 0..n-1")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{token}\n" for token in tokens), encoding="utf-8")


def load_vocab(path: Path, max_len: int) -> BertTokenizerFast:
    """Tokenizer from a ``vocab.txt`` written by ``save_vocab``."""
    tokens = path.read_text(encoding="utf-8").split("\n")[:-1]
    missing = [t for t in SPECIAL_TOKENS if t not in tokens]
    if missing or len(set(tokens)) != len(tokens):
        raise ValueError(f"{path}: not a vocabulary (missing {missing} or duplicate tokens)")
    return tokenizer_from_vocab({token: i for i, token in enumerate(tokens)}, max_len)


def build_model(spec: ModelSpec, vocab_size: int) -> BertForSequenceClassification:
    """A randomly initialised BERT classifier over ``MODEL_LABELS``."""
    config = BertConfig(
        vocab_size=vocab_size,
        hidden_size=spec.hidden,
        num_hidden_layers=spec.layers,
        num_attention_heads=spec.heads,
        intermediate_size=spec.intermediate,
        max_position_embeddings=spec.max_len,
        hidden_dropout_prob=spec.dropout,
        attention_probs_dropout_prob=spec.dropout,
        num_labels=len(MODEL_LABELS),
        id2label=dict(enumerate(MODEL_LABELS)),
        label2id=LABEL2ID,
        problem_type="single_label_classification",
    )
    return BertForSequenceClassification(config)


def load_base(base: Path):
    """Tokenizer and classifier from a local checkpoint, with our label head."""
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        local_files_only=True,
        num_labels=len(MODEL_LABELS),
        id2label=dict(enumerate(MODEL_LABELS)),
        label2id=LABEL2ID,
        ignore_mismatched_sizes=True,
    )
    return tokenizer, model


def _as_examples(rows: Iterable) -> list[tuple[str, str]]:
    out = []
    for row in rows:
        text, category = (row["text"], row["category"]) if isinstance(row, Mapping) else row
        out.append((str(text), check_label(category)))
    return out


def _device() -> torch.device:
    """``CLASSIFIER_TRAIN_DEVICE`` (e.g. ``cuda``) or the CPU; inference always runs on CPU."""
    return torch.device(os.environ.get("CLASSIFIER_TRAIN_DEVICE", "cpu"))


def _encode(tokenizer, texts: list[str], max_len: int, device: torch.device) -> dict:
    encoded = tokenizer(
        [clean_text(t, max_len) for t in texts], padding=True, truncation=True, max_length=max_len, return_tensors="pt"
    )
    return {k: v.to(device) for k, v in encoded.items()}


def _logits(model, tokenizer, texts: list[str], max_len: int, device: torch.device, batch_size: int = 64) -> torch.Tensor:
    model.eval()
    chunks = []
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            chunks.append(model(**_encode(tokenizer, texts[start : start + batch_size], max_len, device)).logits.float().cpu())
    return torch.cat(chunks) if chunks else torch.zeros((0, len(MODEL_LABELS)))


def _class_weights(labels: list[int]) -> torch.Tensor:
    counts = Counter(labels)
    n, k = len(labels), len(counts)
    weights = [n / (k * counts[i]) if counts[i] else 1.0 for i in range(len(MODEL_LABELS))]
    return torch.tensor(weights, dtype=torch.float)


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """Temperature that minimises validation NLL (post-hoc calibration), within [0.05, 20]."""
    if len(labels) == 0:
        return 1.0
    log_t = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=100)

    def closure():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    optimizer.step(closure)
    return float(log_t.detach().exp().clamp(0.05, 20.0))


def fold_temperature(model, temperature: float) -> bool:
    """Divide the output layer by ``temperature`` so any loader gets calibrated softmax."""
    heads = [m for m in model.modules() if isinstance(m, torch.nn.Linear) and m.out_features == len(MODEL_LABELS)]
    if not heads:
        return False
    with torch.no_grad():
        heads[-1].weight.div_(temperature)
        if heads[-1].bias is not None:
            heads[-1].bias.div_(temperature)
    return True


def pretrain_mlm(model, tokenizer, texts: list[str], options: TrainOptions, max_len: int, seed: int, progress: bool, device):
    """Masked-language-model warm-up of ``model.bert`` on the training texts (15% masking)."""
    mlm = BertForMaskedLM(model.config)
    mlm.bert.load_state_dict(model.bert.state_dict(), strict=False)
    rng, generator = random.Random(seed), torch.Generator().manual_seed(seed)
    steps_per_epoch = max(1, -(-len(texts) // options.batch_size))
    total = steps_per_epoch * options.mlm_epochs
    optimizer = torch.optim.AdamW(mlm.parameters(), lr=1e-3, weight_decay=options.weight_decay)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.06 * total), total)
    special = torch.tensor(tokenizer.all_special_ids, device=device)
    mlm.to(device)
    mlm.train()
    for _ in tqdm(range(options.mlm_epochs), desc="mlm warm-up", unit="epoch", disable=not progress):
        order = torch.randperm(len(texts), generator=generator).tolist()
        for start in range(0, len(order), options.batch_size):
            batch = [augment_text(texts[i], rng) if rng.random() < 0.5 else texts[i] for i in order[start : start + options.batch_size]]
            encoded = _encode(tokenizer, batch, max_len, device)
            input_ids = encoded["input_ids"]
            labels = input_ids.clone()
            maskable = ~torch.isin(input_ids, special)
            chosen = (torch.rand(input_ids.shape, generator=generator).to(input_ids.device) < 0.15) & maskable
            labels[~chosen] = -100
            action = torch.rand(input_ids.shape, generator=generator).to(input_ids.device)
            input_ids = input_ids.clone()
            input_ids[chosen & (action < 0.8)] = tokenizer.mask_token_id
            swap = chosen & (action >= 0.8) & (action < 0.9)
            random_ids = torch.randint(len(tokenizer), (int(swap.sum()),), generator=generator)
            input_ids[swap] = random_ids.to(input_ids.device)
            loss = mlm(**{**encoded, "input_ids": input_ids}, labels=labels).loss
            _step(loss, mlm, optimizer, scheduler)
    model.bert.load_state_dict(mlm.bert.state_dict(), strict=False)
    del mlm


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _optimizer_and_scheduler(model, lr: float, options: TrainOptions, steps_per_epoch: int):
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=options.weight_decay)
    scheduler = get_linear_schedule_with_warmup(
        optimizer, int(options.warmup_fraction * steps_per_epoch * options.epochs), steps_per_epoch * options.epochs
    )
    return optimizer, scheduler


def _step(loss, model, optimizer, scheduler) -> None:
    optimizer.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    scheduler.step()


class _EarlyStopping:
    """Scores each epoch on the validation slice, keeps the best state, stops after ``patience`` worse epochs."""

    def __init__(self, model, tokenizer, val, max_len, device, patience: int):
        self.model, self.tokenizer, self.max_len, self.device, self.patience = model, tokenizer, max_len, device, patience
        self.val_texts, self.val_y = [t for t, _ in val], [LABEL2ID[c] for _, c in val]
        self.best_state, self.best_key, self.best_epoch, self.stale, self.history = None, None, 0, 0, []

    def end_epoch(self, epoch: int, train_loss: float, bar) -> bool:
        """Record the epoch; True when training should stop."""
        if self.val_texts:
            logits = _logits(self.model, self.tokenizer, self.val_texts, self.max_len, self.device)
            val_loss = float(torch.nn.functional.cross_entropy(logits, torch.tensor(self.val_y)))
            val_f1 = float(f1_score(self.val_y, logits.argmax(1).tolist(), average="macro"))
        else:
            val_loss, val_f1 = train_loss, 0.0
        self.history.append({"epoch": epoch, "train_loss": train_loss, "val_loss": val_loss, "val_macro_f1": val_f1})
        bar.set_postfix(epoch=epoch, val_f1=f"{val_f1:.3f}", val_loss=f"{val_loss:.3f}")
        key = (round(val_f1, 4), -val_loss)
        if self.best_key is None or key > self.best_key:
            self.best_state, self.best_key, self.best_epoch, self.stale = copy.deepcopy(self.model.state_dict()), key, epoch, 0
            return False
        self.stale += 1
        return self.stale >= self.patience


def _run_epochs(model, tokenizer, fit, val, options: TrainOptions, max_len, lr, seed, progress, device, teacher=None):
    """Train with early stopping on validation macro-F1; returns (best state, history)."""
    fit_y = [LABEL2ID[c] for _, c in fit]
    steps_per_epoch = max(1, -(-len(fit) // options.batch_size))
    optimizer, scheduler = _optimizer_and_scheduler(model, lr, options, steps_per_epoch)
    loss_fn = torch.nn.CrossEntropyLoss(
        weight=_class_weights(fit_y).to(device), label_smoothing=options.label_smoothing
    )
    rng, generator = random.Random(seed), torch.Generator().manual_seed(seed)
    stopping = _EarlyStopping(model, tokenizer, val, max_len, device, options.patience)
    bar = tqdm(total=steps_per_epoch * options.epochs, desc="training", unit="batch", disable=not progress)
    for epoch in range(1, options.epochs + 1):
        model.train()
        order = torch.randperm(len(fit), generator=generator).tolist()
        total_loss = 0.0
        for start in range(0, len(order), options.batch_size):
            batch = [fit[i] for i in order[start : start + options.batch_size]]
            texts = [_noisy(t, rng, options) if rng.random() < options.augment_probability else t for t, _ in batch]
            labels = torch.tensor([LABEL2ID[c] for _, c in batch], device=device)
            logits = model(**_encode(tokenizer, texts, max_len, device)).logits
            loss = loss_fn(logits, labels)
            if teacher is not None and options.distill_weight:
                soft = torch.tensor(teacher.predict_proba(texts), dtype=torch.float, device=device)
                soft_loss = -(soft * torch.log_softmax(logits, -1)).sum(-1).mean()
                loss = (1 - options.distill_weight) * loss + options.distill_weight * soft_loss
            _step(loss, model, optimizer, scheduler)
            total_loss += loss.item() * len(batch)
            bar.update(1)
        if stopping.end_epoch(epoch, total_loss / len(fit), bar):
            break
    bar.close()
    return stopping.best_state, stopping.best_epoch, stopping.history


def _shuffle_sentences(text: str, rng: random.Random) -> str:
    parts = [p.strip() for p in text.replace("!", ".").replace("?", "?.").split(".") if p.strip()]
    if len(parts) < 2:
        return text
    rng.shuffle(parts)
    return ". ".join(parts)


def _noisy(text: str, rng: random.Random, options: TrainOptions) -> str:
    """One noisy copy: sentence order, dropped words, typos, slang, sometimes a letter's wrapping."""
    noisy = _shuffle_sentences(text, rng) if rng.random() < 0.15 else text
    noisy = augment_text(noisy, rng, word_dropout=rng.choice([0.05, 0.1, 0.2]), typo_rate=rng.choice([0.02, 0.05, 0.1]))
    return frame_text(noisy, rng) if rng.random() < options.frame_probability else noisy


def _crop(text: str, rng: random.Random) -> str:
    words = text.split()
    if len(words) < 4:
        return text
    keep = rng.randint(max(2, len(words) // 3), len(words))
    start = rng.randrange(0, len(words) - keep + 1)
    return " ".join(words[start : start + keep])


def distill_pool(fit, teacher, options: TrainOptions, seed: int):
    """Texts of ``fit`` plus ``options.augment_copies`` noisy copies each, with hard labels and teacher probabilities."""
    rng = random.Random(seed)
    texts, hard = [], []
    for text, category in fit:
        texts.append(text)
        hard.append(LABEL2ID[category])
        for _ in range(options.augment_copies):
            texts.append(_noisy(text, rng, options))
            hard.append(LABEL2ID[category])
        for _ in range(options.mix_copies):
            other = fit[rng.randrange(len(fit))][0]
            parts = [_crop(text, rng), _crop(other, rng)]
            if rng.random() < 0.5:
                parts.reverse()
            texts.append(rng.choice([" ", "\n", ". "]).join(parts))
            hard.append(LABEL2ID[category])
    soft = torch.tensor(teacher.predict_proba(texts), dtype=torch.float)
    return texts, torch.tensor(hard), soft


def _run_distill_epochs(model, tokenizer, fit, val, options: TrainOptions, max_len, lr, seed, progress, device, teacher):
    """Distillation on a large augmented pool labelled once by the teacher; early stopping as ``_run_epochs``."""
    texts, hard, soft = distill_pool(fit, teacher, options, seed)
    encoded = tokenizer([clean_text(t, max_len) for t in texts], truncation=True, max_length=max_len)["input_ids"]
    n, bs = len(texts), options.batch_size
    steps_per_epoch = -(-n // bs)
    optimizer, scheduler = _optimizer_and_scheduler(model, lr, options, steps_per_epoch)
    generator = torch.Generator().manual_seed(seed)
    pad = tokenizer.pad_token_id or 0
    stopping = _EarlyStopping(model, tokenizer, val, max_len, device, options.patience)
    bar = tqdm(total=steps_per_epoch * options.epochs, desc="distillation", unit="batch", disable=not progress)
    for epoch in range(1, options.epochs + 1):
        model.train()
        order = torch.randperm(n, generator=generator).tolist()
        batches = []
        for start in range(0, n, bs * 50):  # length buckets: less padding, same randomness
            chunk = sorted(order[start : start + bs * 50], key=lambda i: len(encoded[i]))
            batches += [chunk[i : i + bs] for i in range(0, len(chunk), bs)]
        random.Random(seed + epoch).shuffle(batches)
        total_loss = 0.0
        for batch in batches:
            width = max(len(encoded[i]) for i in batch)
            ids = torch.full((len(batch), width), pad, dtype=torch.long)
            mask = torch.zeros_like(ids)
            for j, i in enumerate(batch):
                ids[j, : len(encoded[i])] = torch.tensor(encoded[i])
                mask[j, : len(encoded[i])] = 1
            logits = model(input_ids=ids.to(device), attention_mask=mask.to(device)).logits
            hard_loss = torch.nn.functional.cross_entropy(
                logits, hard[batch].to(device), label_smoothing=options.label_smoothing
            )
            soft_loss = -(soft[batch].to(device) * torch.log_softmax(logits, -1)).sum(-1).mean()
            loss = (1 - options.distill_weight) * hard_loss + options.distill_weight * soft_loss
            _step(loss, model, optimizer, scheduler)
            total_loss += loss.item() * len(batch)
            bar.update(1)
        if stopping.end_epoch(epoch, total_loss / n, bar):
            break
    bar.close()
    return stopping.best_state, stopping.best_epoch, stopping.history


def train_model(
    train_path: str | Path,
    output_dir: str | Path,
    *,
    base: str | Path | None = None,
    extra_examples: Iterable = (),
    epochs: int | None = None,
    seed: int = 42,
    tiny: bool = False,
    progress: bool = True,
    test_path: str | Path | None = None,
    spec: ModelSpec | None = None,
    options: TrainOptions | None = None,
    vocab_path: str | Path | None = None,
    new_vocab: bool = False,
) -> dict:
    """Train, calibrate, evaluate and save a classifier folder; returns its ``metrics.json``.

    ``extra_examples`` (e.g. staff corrections; ``(text, category)`` pairs or dicts) join
    the training part, repeated ``options.extra_repeat`` times. The test split defaults to
    ``test.jsonl`` next to ``train_path``; without one the validation slice is used.
    From scratch, an existing ``vocab_path`` is reused (same vocabulary, same weights on a
    rerun); without one, or with ``new_vocab``, a tokenizer is trained and saved there.
    """
    started = time.perf_counter()
    train_path, output_dir = Path(train_path), Path(output_dir)
    spec = spec or (TINY_SPEC if tiny else DEFAULT_SPEC)
    options = options or (TrainOptions(epochs=1, mlm_epochs=0, augment_copies=1) if tiny else TrainOptions())
    if epochs is not None:
        options = replace(options, epochs=epochs)
    set_seed(seed)
    device = _device()
    # one thread by default: float sums then run in a fixed order, so a rerun gives the same weights
    torch.set_num_threads(int(os.environ.get("CLASSIFIER_TRAIN_THREADS", "1")))

    examples = read_examples(train_path)
    extra = _as_examples(extra_examples)
    fit, val = stratified_split(examples, options.val_fraction, seed)
    fit = fit + extra * options.extra_repeat

    reuse_vocab = base is None and vocab_path is not None and Path(vocab_path).exists() and not new_vocab
    if base is not None:
        tokenizer, model = load_base(Path(base))
        max_len = min(spec.max_len, tokenizer.model_max_length or spec.max_len)
        large = model.config.hidden_size >= 512
        lr = options.lr or (5e-5 if large else 3e-4)
    else:
        if reuse_vocab:
            tokenizer = load_vocab(Path(vocab_path), spec.max_len)
        else:
            tokenizer = train_tokenizer((t for t, _ in fit), spec.vocab_size, spec.max_len)
        model = build_model(spec, len(tokenizer))
        max_len, lr = spec.max_len, options.lr or 1e-3
        if options.mlm_epochs:
            pretrain_mlm(model, tokenizer, [t for t, _ in fit], options, max_len, seed, progress, device)

    model.to(device)
    teacher = TfidfBaseline(seed).fit(fit) if options.distill_weight else None
    if teacher is not None and options.augment_copies > 0:
        best_state, best_epoch, history = _run_distill_epochs(
            model, tokenizer, fit, val, options, max_len, lr, seed, progress, device, teacher
        )
    else:
        best_state, best_epoch, history = _run_epochs(
            model, tokenizer, fit, val, options, max_len, lr, seed, progress, device, teacher
        )
    model.load_state_dict(best_state)
    model.to("cpu")
    cpu = torch.device("cpu")

    val_logits = _logits(model, tokenizer, [t for t, _ in val], max_len, cpu)
    temperature = fit_temperature(val_logits, torch.tensor([LABEL2ID[c] for _, c in val], dtype=torch.long))
    folded = fold_temperature(model, temperature)

    test_path = Path(test_path) if test_path is not None else train_path.with_name("test.jsonl")
    if test_path.exists():
        evaluation = read_examples(test_path)
        evaluated_on = test_path.name
    else:
        evaluation, evaluated_on = val, "validation slice (no test file)"
    probs = torch.softmax(_logits(model, tokenizer, [t for t, _ in evaluation], max_len, cpu), -1).numpy()
    gold = [c for _, c in evaluation]
    triage = choose_threshold(gold, probs, MODEL_LABELS)

    baseline = TfidfBaseline(seed).fit(examples + extra)
    metrics = {
        "threshold": triage["threshold"],
        "triage": triage,
        "evaluated_on": evaluated_on,
        "test": classification_metrics(gold, probs, MODEL_LABELS),
        "baseline": classification_metrics(gold, baseline.predict_proba([t for t, _ in evaluation]), MODEL_LABELS),
        "temperature": temperature if folded else None,
        "train": {
            "train_file": train_path.name,
            "train_sha256": _file_sha256(train_path),
            "test_sha256": _file_sha256(test_path) if test_path.exists() else None,
            "fit_examples": len(fit),
            "validation_examples": len(val),
            "extra_examples": len(extra),
            "base": str(base) if base is not None else None,
            "vocab_sha256": hashlib.sha256("\n".join(sorted(tokenizer.get_vocab())).encode()).hexdigest(),
            "spec": asdict(spec) if base is None else {"max_len": max_len},
            "options": {**asdict(options), "lr": lr},
            "seed": seed,
            "best_epoch": best_epoch,
            "epochs_run": len(history),
            "history": history,
            "parameters": sum(p.numel() for p in model.parameters()),
            "seconds": round(time.perf_counter() - started, 1),
            "torch": torch.__version__,
            "transformers": transformers.__version__,
        },
    }
    _save(model, tokenizer, metrics, output_dir, max_len)
    if base is None and vocab_path is not None and not reuse_vocab:
        save_vocab(tokenizer, Path(vocab_path))  # only once the model that uses it is saved
    return metrics


def _save(model, tokenizer, metrics: dict, output_dir: Path, max_len: int) -> None:
    """Write the folder next to ``output_dir`` first, then swap, so a failure keeps the old model."""
    partial = output_dir.with_name(f".{output_dir.name}.partial")
    if partial.exists():
        shutil.rmtree(partial)
    tokenizer.model_max_length = max_len
    model.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    (partial / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_model_card(partial, metrics)
    if output_dir.exists():
        shutil.rmtree(output_dir)
    partial.rename(output_dir)


@dataclass(frozen=True)
class IncrementalOptions:
    """Fine-tuning a trained model on staff corrections, replaying part of its training data."""

    epochs: int = 2
    lr: float = 2e-4
    batch_size: int = 32
    correction_repeat: int = 4
    replay: int = 2000
    """Training texts mixed in so the model does not forget what the corrections do not cover."""


def finetune_on_corrections(
    model_dir: str | Path,
    corrections: Iterable,
    output_dir: str | Path,
    *,
    train_path: str | Path | None = None,
    options: IncrementalOptions | None = None,
    seed: int = 42,
    progress: bool = False,
) -> dict:
    """Continue training ``model_dir`` on ``corrections`` (plus replayed training texts) into ``output_dir``.

    Minutes instead of a full retrain: the tokenizer, the calibration temperature (already folded
    into the weights) and the triage threshold are kept; ``metrics.json`` records what was added.
    """
    started = time.perf_counter()
    options = options or IncrementalOptions()
    model_dir, output_dir = Path(model_dir), Path(output_dir)
    set_seed(seed)
    torch.set_num_threads(int(os.environ.get("CLASSIFIER_TRAIN_THREADS", "1")))
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, local_files_only=True)
    max_len = min(int(tokenizer.model_max_length or 128), getattr(model.config, "max_position_embeddings", 512))
    extra = _as_examples(corrections)
    replay: list[tuple[str, str]] = []
    if train_path is not None and Path(train_path).exists():
        replay = read_examples(train_path)
        random.Random(seed).shuffle(replay)
        replay = replay[: options.replay]
    pool = extra * options.correction_repeat + replay
    rng, generator = random.Random(seed), torch.Generator().manual_seed(seed)
    steps_per_epoch = max(1, -(-len(pool) // options.batch_size))
    train_options = TrainOptions(epochs=options.epochs, lr=options.lr)
    optimizer, scheduler = _optimizer_and_scheduler(model, options.lr, train_options, steps_per_epoch)
    model.train()
    for _ in tqdm(range(options.epochs), desc="fine-tuning", unit="epoch", disable=not progress):
        order = torch.randperm(len(pool), generator=generator).tolist()
        for start in range(0, len(order), options.batch_size):
            batch = [pool[i] for i in order[start : start + options.batch_size]]
            texts = [augment_text(t, rng) if rng.random() < 0.3 else t for t, _ in batch]
            labels = torch.tensor([LABEL2ID[c] for _, c in batch])
            logits = model(**_encode(tokenizer, texts, max_len, torch.device("cpu"))).logits
            _step(torch.nn.functional.cross_entropy(logits, labels), model, optimizer, scheduler)
    model.eval()
    metrics_path = model_dir / "metrics.json"
    metrics = json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.exists() else {}
    metrics["incremental"] = {
        "from": str(model_dir),
        "corrections": len(extra),
        "replayed": len(replay),
        "options": asdict(options),
        "seconds": round(time.perf_counter() - started, 1),
    }
    _save(model, tokenizer, metrics, output_dir, max_len)
    return metrics
