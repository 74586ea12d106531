"""The model folder's README.md, written from its ``metrics.json``."""

from __future__ import annotations

from pathlib import Path

from classifiers.labels import MODEL_LABELS


def _pct(value) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _recipe(train: dict) -> str:
    options = train["options"]
    copies = options.get("augment_copies", 0) if options.get("distill_weight") else 0
    if not copies:
        loss = "class-weighted cross-entropy"
    elif options["distill_weight"] >= 1:
        loss = "the teacher's soft targets only"
    else:
        loss = f"hard-label cross-entropy (weight {1 - options['distill_weight']:g})"
    parts = [f"AdamW lr {options['lr']:g}, batch {options['batch_size']}, up to {options['epochs']} epochs "
             f"(patience {options['patience']}), {loss}, word-dropout/typo/slang augmentation"]
    if options.get("mlm_epochs") and not train["base"]:
        parts.append(f"{options['mlm_epochs']} epochs of masked-language-model warm-up on the training texts")
    if copies:
        parts.append(f"distillation from a TF-IDF + logistic-regression teacher fitted on the training part only: "
                     f"each training text plus {copies} noisy copies (word dropout, typos, slang, sentence shuffles), "
                     f"{train.get('fit_examples', 0) * (copies + 1):,} texts labelled once with the teacher's probabilities "
                     f"(soft-target weight {options['distill_weight']:g})")
    elif options.get("distill_weight"):
        parts.append(f"soft targets from a TF-IDF teacher fitted on the training part (weight {options['distill_weight']})")
    return "; ".join(parts)


def _real_text_section(metrics: dict) -> str:
    real = metrics.get("real_text")
    if not real:
        return ("## Real citizen text\nNot measured for this folder: run `python -m classifiers.realtext.calibrate` with the\n"
                "public sources fetched (see `classifiers/realtext/`) to set the threshold on real text and add the figures.\n")
    model, baseline, triage = real["model"], real["baseline"], real["triage"]
    rows = ["| source | texts | complaints | model macro-F1 | baseline macro-F1 | model accuracy | baseline accuracy |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    scopes = [("all sources", model["overall"], baseline["overall"])] + [
        (name, figures, baseline["sources"][name]) for name, figures in model["sources"].items()
    ]
    for name, m, b in scopes:
        rows.append(f"| {name} | {m['n']} | {m['complaints']} | {m['macro_f1']:.3f} | {b['macro_f1']:.3f} | "
                    f"{_pct(m['accuracy'])} | {_pct(b['accuracy'])} |")
    weak = ", ".join(f"{w['label']} (F1 {w['f1']:.2f}, {w['support']} texts)" for w in model["weakest"])
    return f"""## Real citizen text (the figures that count)
{real['texts']} real complaints and posts from public Indonesian sources (a regency portal, tweets, a flood
map, a social-aid channel, electricity app reviews), labelled by TAXONOMY.md for evaluation only and
never trained on (`classifiers/realtext/`, `python -m benchmarks.real_text`). The baseline is TF-IDF +
logistic regression fitted on the same `train.jsonl`.

{chr(10).join(rows)}

The triage threshold **{metrics['threshold']:.2f}** was set on this real text ({triage['rule']}; the own split
gave {metrics.get('own_split_threshold', metrics['threshold']):.2f}): {_pct(triage['routed_precision'])} of auto-routed real texts are right,
{_pct(triage['in_scope_routed_fraction'])} of real complaints are auto-routed and {_pct(triage['out_of_scope_to_triage_fraction'])} of
non-complaints go to triage. With the threshold fitted on one half and scored on the other:
precision {_pct(model['overall']['cross']['precision'])}, coverage {_pct(model['overall']['cross']['coverage'])},
non-complaints to triage {_pct(model['overall']['cross']['nonc_to_triage'])}.
Weakest categories on real text: {weak}.
"""


def write_model_card(model_dir: Path, metrics: dict) -> None:
    """Describe data, figures, limits and how to reproduce the folder."""
    train, test, triage = metrics["train"], metrics["test"], metrics["triage"]
    baseline = metrics.get("baseline")
    source = f"fine-tuned from `{train['base']}`" if train["base"] else "compact BERT trained from scratch"
    spec = ", ".join(f"{k}={v}" for k, v in train["spec"].items())
    rows = [
        "| category | precision | recall | F1 | support |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label in MODEL_LABELS:
        scores = test["per_class"].get(label)
        if scores:
            rows.append(
                f"| {label} | {scores['precision']:.3f} | {scores['recall']:.3f} | {scores['f1']:.3f} | {scores['support']} |"
            )
    compare = ""
    if baseline:
        compare = (
            f"| TF-IDF + logistic regression baseline | {baseline['macro_f1']:.3f} | {baseline['accuracy']:.3f} | "
            f"{baseline['ece']:.3f} |\n"
        )
    text = f"""# Suara Warga complaint classifier

Routes an Indonesian citizen complaint to one of the 13 taxonomy categories; a 14th label,
`lainnya`, marks texts that are not complaints (greetings, thanks, spam) so they go to triage.
Model: {source} ({spec}; {train['parameters']:,} parameters).

## Data
Written by the Suara Warga team to look like real complaint-channel traffic (`classifiers/data/raw/`),
deduplicated and split once 80/20 per category into `train.jsonl` / `test.jsonl`. Texts written
later (`classifiers/data/raw_train/`) only ever join `train.jsonl`, so the test split never changed.
Recipe: {_recipe(train)}.
Training used {train['fit_examples']} texts ({train['extra_examples']} staff corrections, repeated
{train['options']['extra_repeat']}x) with {train['validation_examples']} held out for early stopping
(best epoch {train['best_epoch']} of {train['epochs_run']}), seed {train['seed']}, {train['seconds']} s.

## Figures on {metrics['evaluated_on']} ({test['n']} texts)
| model | macro-F1 (13 codes) | accuracy (14 labels) | ECE (15 bins) |
| --- | ---: | ---: | ---: |
| this model | {test['macro_f1']:.3f} | {test['accuracy']:.3f} | {test['ece']:.3f} |
{compare}
Probabilities are temperature-scaled on the validation slice (T = {metrics['temperature']}), folded into
the output layer. On this split the triage rule gives **{metrics.get('own_split_threshold', metrics['threshold']):.2f}** ({triage['rule']}): at it,
{_pct(triage['routed_fraction'])} of test texts are auto-routed with {_pct(triage['routed_precision'])} precision,
{_pct(triage['in_scope_routed_fraction'])} of the split's complaints are auto-routed, and
{_pct(triage['out_of_scope_to_triage_fraction'])} of `lainnya` texts go to triage.

{chr(10).join(rows)}

{_real_text_section(metrics)}
## Limits
- Different training seeds move macro-F1 on this test split by about ±0.01 (each test text is worth
  about 0.0015 of accuracy), so a gap to the baseline smaller than that is noise, not a ranking.
- All training and own-split texts were written by the team, not by citizens; the own split comes
  from the same writers, so its figures overstate accuracy on real traffic. The real-text section
  above is the honest figure; watch the triage rate and staff corrections after launch.
- Trained from scratch on a few thousand texts: words it never saw are split into pieces or `[UNK]`;
  regional languages and long multi-topic texts are weak spots. Only the first {train['spec'].get('max_len', 128)} tokens are read.
- Texts that touch two agencies get one label; the top-3 suggestions carry the alternatives.

## Reproduce and upgrade
```
python -m classifiers.data.split          # only when the raw corpus changes (the split is fixed)
feedback train                            # = classifiers.commands.train_command()
feedback evaluate                         # model vs baseline, side by side
```
Recommended production upgrade: fine-tune a pretrained Indonesian checkpoint available locally,
`feedback train --base /path/to/indobert-base-p1 --output /path/to/out`, then set
`CLASSIFIER_MODEL=/path/to/out`. Staff corrections are added with `feedback train --include-corrections`.
"""
    (model_dir / "README.md").write_text(text, encoding="utf-8")
