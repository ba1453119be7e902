"""The same article gives the same records from any source: line endings (CRLF, CR, LF) and
Unicode forms (composed or decomposed accents) are normalised once, where documents are read."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from click.testing import CliRunner

from communique.cli import cli
from communique.io import read_inputs
from communique.models import Document
from conftest import EXAMPLES

EXTRA = (
    "\n\nFrance's président Emmanuel Macron, speaking in Orléans, said: \"We stand with Somalia "
    'and its people." The Élysée added that aid would follow.\n'
)


def article() -> str:
    body = (EXAMPLES / "articles" / "2026-01-05-somalia-mogadishu-bombing.txt").read_text(encoding="utf-8")
    return unicodedata.normalize("NFC", body + EXTRA)


def variants(tmp_path: Path) -> list[Path]:
    """One article written four ways: LF, CRLF, CR, and CRLF with decomposed accents; and as a
    JSON line whose text field has CRLF."""
    text = article()
    files = {
        "lf.txt": text,
        "crlf.txt": text.replace("\n", "\r\n"),
        "cr.txt": text.replace("\n", "\r"),
        "nfd-crlf.txt": unicodedata.normalize("NFD", text).replace("\n", "\r\n"),
    }
    paths = []
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8"))
        paths.append(path)
    body = text.split("---\n", 2)[2]  # the text without its front matter
    line = {"title": "t", "date": "2026-01-05", "text": body.replace("\n", "\r\n")}
    jsonl = tmp_path / "crlf.jsonl"
    jsonl.write_text(json.dumps(line) + "\n", encoding="utf-8")
    paths.append(jsonl)
    return paths


def test_documents_are_normalised_once_where_they_are_read(tmp_path):
    docs = [d for d in read_inputs([str(p) for p in variants(tmp_path)]) if isinstance(d, Document)]
    assert len(docs) == 5
    texts = {d.text for d in docs[:4]}
    assert len(texts) == 1 and "\r" not in docs[0].text and unicodedata.is_normalized("NFC", docs[0].text)
    assert len({d.id for d in docs[:4]}) == 1  # the content id is that of the normalised text
    assert docs[4].text == docs[0].text  # a JSON text field with CRLF: the same text
    pasted = Document(id="x", text="a\r\nb\rc", source="<paste>")
    assert pasted.text == "a\nb\nc"


def test_crlf_and_lf_give_identical_records(tmp_path):
    paths = variants(tmp_path)
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(cli, ["extract", *map(str, paths[:4]), "-o", str(out), "--quiet"])
    assert res.exit_code == 0, res.output
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(results) == 4
    for r in results:
        r.pop("source")
    first = results[0]
    assert first["quotes"] and first["events"]
    for other in results[1:]:
        assert other == first
