"""Where the admin keeps an uploaded file between the import's preview and its confirmation.

django-import-export's default writes it to the system's temporary folder and deletes it only when
the import is confirmed, so every abandoned preview left a file behind. Here uploads go to their own
folder (SIGNPOST_IMPORT_PREVIEW_DIR), and each new preview removes those older than
SIGNPOST_IMPORT_PREVIEW_HOURS.
"""

import os
import time
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from import_export.tmp_storages import TempFolderStorage


class PreviewStorage(TempFolderStorage):
    def folder(self) -> Path:
        folder = Path(settings.SIGNPOST_IMPORT_PREVIEW_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def get_full_path(self) -> str:
        return str(self.folder() / Path(self.name).name)  # never a path outside the folder

    def save(self, data) -> None:
        self.remove_abandoned()
        if not self.name:
            self.name = uuid4().hex
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(self.get_full_path(), mode, encoding=None if mode == "wb" else self.encoding) as file:
            file.write(data)

    def remove_abandoned(self) -> None:
        oldest = time.time() - settings.SIGNPOST_IMPORT_PREVIEW_HOURS * 3600
        for path in self.folder().iterdir():
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)

    def remove(self) -> None:
        if os.path.exists(self.get_full_path()):
            os.remove(self.get_full_path())
