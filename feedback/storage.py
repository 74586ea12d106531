"""Files (attachments, raw emails) on disk under one root, addressed by generated keys only."""
from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone
from pathlib import Path


class FileStore:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()

    def save(self, data: bytes, suffix: str = "") -> str:
        """Write bytes durably and return the generated key (never derived from user input)."""
        now = datetime.now(timezone.utc)
        key = f"{now:%Y/%m}/{secrets.token_hex(16)}{suffix}"
        path = self.root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return key

    def path_for(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError("storage key escapes the storage root")
        return path

    def read(self, key: str) -> bytes:
        return self.path_for(key).read_bytes()
