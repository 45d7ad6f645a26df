"""The real JavaScript libraries Hexo uses, called from tests: marked (Markdown) and js-yaml (front matter).

Both come from the locked test site (``tests/hexo/node_modules``, ``make hexo-deps``); each call runs one
``node`` process for a whole batch of inputs.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

from tests.hexo_site import HEXO_DIR, ensure_node_modules

_SCRIPTS = {
    "marked": "const {marked} = require('marked'); out = inputs.map(text => marked.parse(text));",
    "yaml": "const yaml = require('js-yaml'); out = inputs.map(text => yaml.load(text));",
}


def run_node(library: str, inputs: list[str]) -> list[Any]:
    """``inputs`` through one of :data:`_SCRIPTS`; the results come back as JSON values."""
    ensure_node_modules()
    script = (
        "let data = ''; process.stdin.on('data', c => data += c); process.stdin.on('end', () => {"
        f"const inputs = JSON.parse(data); let out; {_SCRIPTS[library]}"
        "process.stdout.write(JSON.stringify(out)); });"
    )
    completed = subprocess.run(
        ["node", "-e", script],
        input=json.dumps(inputs),
        capture_output=True,
        text=True,
        cwd=HEXO_DIR,
        check=True,
    )
    return json.loads(completed.stdout)


def marked(texts: list[str]) -> list[str]:
    """Markdown → HTML as marked renders it."""
    return run_node("marked", texts)


def yaml_load(texts: list[str]) -> list[Any]:
    """YAML documents as js-yaml (Hexo's front-matter reader) loads them, dates as ISO strings."""
    return run_node("yaml", texts)
