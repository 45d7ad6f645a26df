"""Publish: commit what a run changed to the blog's git repository, and optionally push it.

The replaced bot committed its new posts to the blog's repository after every run, which is what deploys
the blog (a CI build, GitHub Pages). With ``PUBLISH_GIT`` (``aggregator crawl --publish``, ``aggregator
schedule --publish``) the crawl does the same once its spiders are done:

* it stages what changed under ``OUTPUT_DIR`` and, with ``IMAGES_MODE = "download"``, the shared images
  folder — new, changed and removed files, never the state and image cache (``.aggregator/``) nor a
  temporary file — and commits only those paths, leaving anything else the owner has staged alone;
* nothing changed: no commit;
* ``PUBLISH_PUSH``: pushes the branch to ``PUBLISH_REMOTE`` whenever it is ahead, so a push that failed
  (network down, remote refused) is one ERROR line, and the next run, even one with nothing new, pushes again.

It runs the ``git`` command rather than a library: it is what the owner's repository already works with,
credentials and hooks included. Runs of several subscriptions that finish together wait for each other's
``index.lock`` instead of failing.
"""

from __future__ import annotations

import logging
import os
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from aggregator.export.images import ImageSettings

logger = logging.getLogger(__name__)

EXCLUDED = (":(exclude,glob)**/.aggregator/**", ":(exclude,glob)**/.aggregator-tmp-*")
"""The state database, image cache and temporary files: never part of the blog."""
LOCK_WAIT_SECONDS = 60.0
FALLBACK_IDENTITY = {"GIT_AUTHOR_NAME": "aggregator", "GIT_AUTHOR_EMAIL": "aggregator@localhost"}


class PublishError(RuntimeError):
    """Git refused: the one line the ERROR log gives."""


@dataclass
class PublishResult:
    commit: str = ""
    """The new commit's id, or empty when nothing changed."""
    files: int = 0
    pushed: bool = False
    error: str = ""


class Repository:
    """The blog's repository, driven through ``git``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def containing(cls, folder: Path) -> Repository:
        folder.mkdir(parents=True, exist_ok=True)
        completed = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise PublishError(f"{folder} is not in a git repository ({_last_line(completed.stderr)})")
        return cls(Path(completed.stdout.strip()))

    def git(self, *args: str, check: bool = True, env: dict[str, str] | None = None) -> str:
        """Run git in the repository; wait out another run's ``index.lock``; raise PublishError on failure."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            completed = subprocess.run(
                ["git", *args], cwd=self.root, capture_output=True, text=True, errors="replace", check=False,
                env={**os.environ, **(env or {})},
            )  # fmt: skip
            locked = "index.lock" in completed.stderr and time.monotonic() < deadline
            if completed.returncode == 0 or not check:
                return completed.stdout
            if not locked:
                raise PublishError(f"git {args[0]}: {_last_line(completed.stderr or completed.stdout)}")
            time.sleep(0.5)

    def relative(self, path: Path) -> str:
        return os.path.relpath(path.resolve(), self.root.resolve())


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def published_folders(settings: Any) -> list[Path]:
    """What a run writes that the blog shows: the posts, and the shared images folder when images are
    downloaded (post-asset images sit beside their posts already)."""
    output_dir = Path(settings.get("OUTPUT_DIR"))
    folders = [output_dir]
    images = ImageSettings.from_settings(settings)
    if images.mode == "download" and images.shared_dir.resolve() != output_dir.resolve():
        folders.append(images.shared_dir)
    return folders


def commit_message(results: list[Any], changes: Counter[str], when: datetime) -> str:
    """``Crawl of 2026-11-30 12:00: 3 new posts, 1 updated`` and a line per subscription."""
    parts = [
        f"{changes['A']} new post{'s' if changes['A'] > 1 else ''}" if changes["A"] else "",
        f"{changes['M']} updated" if changes["M"] else "",
    ]
    if changes["D"]:
        parts.append(f"{changes['D']} removed")
    if changes["images"]:
        parts.append(f"{changes['images']} image{'s' if changes['images'] > 1 else ''}")
    subject = f"Crawl of {when:%Y-%m-%d %H:%M}: " + (", ".join(part for part in parts if part) or "changes")
    body = []
    for result in results:
        figures = result.figures or {}
        body.append(
            f"{result.name}: {figures.get('exported', 0)} new, {figures.get('updated', 0)} updated, "
            f"{figures.get('unchanged', 0)} unchanged, {figures.get('errors', 0)} errors"
            + ("" if result.status == "ok" else f" (FAILED: {result.reason})")
        )
    return subject + ("\n\n" + "\n".join(body) if body else "") + "\n"


def publish(results: list[Any], settings: Any) -> PublishResult:
    """Commit (and push) what the run changed; a failure is logged as one ERROR line and returned."""
    outcome = PublishResult()
    try:
        repository = Repository.containing(Path(settings.get("OUTPUT_DIR")))
        paths = [repository.relative(folder) for folder in published_folders(settings) if folder.exists()]
        pathspec = ["--", *paths, *EXCLUDED]
        repository.git("add", "--all", *pathspec)
        staged = repository.git("diff", "--cached", "--name-status", "--no-renames", "-z", *pathspec)
        fields = staged.split("\0")
        changes: Counter[str] = Counter()
        for status, name in zip(fields[0::2], fields[1::2], strict=False):
            changes[status[0] if name.endswith(".md") else "images"] += 1
        outcome.files = sum(changes.values())
        if outcome.files:
            when = datetime.now().astimezone()
            identity = (
                {} if repository.git("config", "user.email", check=False).strip() else FALLBACK_IDENTITY
            )
            committer = {key.replace("AUTHOR", "COMMITTER"): value for key, value in identity.items()}
            message = commit_message(results, changes, when)
            repository.git(
                "commit", "--quiet", "--only", "-m", message, *pathspec, env={**identity, **committer}
            )
            outcome.commit = repository.git("rev-parse", "--short", "HEAD").strip()
            logger.info("Published %d changed files as commit %s", outcome.files, outcome.commit)
        if settings.getbool("PUBLISH_PUSH"):
            outcome.pushed = push(repository, settings.get("PUBLISH_REMOTE"))
    except PublishError as error:
        outcome.error = str(error)
        logger.error("Publish failed: %s; the next run tries again", error)
    return outcome


def push(repository: Repository, remote: str) -> bool:
    """Push the current branch when it is ahead of ``remote`` (or was never pushed); True if it pushed."""
    branch = repository.git("rev-parse", "--abbrev-ref", "HEAD").strip()
    tracking = f"refs/remotes/{remote}/{branch}"
    if repository.git("rev-parse", "--verify", "--quiet", tracking, check=False).strip():
        ahead = repository.git("rev-list", "--count", f"{tracking}..HEAD").strip()
        if ahead == "0":
            return False
    try:
        repository.git("push", "--quiet", remote, f"HEAD:refs/heads/{branch}")
    except PublishError as error:
        raise PublishError(f"push to {remote} ({branch}) failed, the commits stay here: {error}") from error
    repository.git("update-ref", tracking, "HEAD")
    logger.info("Pushed %s to %s", branch, remote)
    return True


def format_publish(outcome: PublishResult) -> str:
    """The line ``aggregator crawl --publish`` prints after its summary."""
    if outcome.error:
        return f"Publish FAILED: {outcome.error}"
    done = (
        f"committed {outcome.files} changed files as {outcome.commit}"
        if outcome.commit
        else "nothing changed"
    )
    return f"Published: {done}" + ("; pushed" if outcome.pushed else "")
