"""The PDF edition (``make pdf``, ``tools/pdf.py``): the whole book, in order, as text a reader can search.

The PDF's text is extracted with pypdf and checked against the sources and the executed chapters: every
chapter's title in book order, every number a chapter glues into its text (formatted as the text formats
it), every exercise with its solution, the bibliography, every figure (each matplotlib figure, each
animation's still frame, each slider landscape) and no raw MyST or TeX anywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from filelock import FileLock

from bookutils import chapters, executed_notebook, glued_values, images

GLUE_TEXT = re.compile(r"\{glue:text\}`([A-Za-z0-9_]+)(?::([^`]*))?`")
RAW_MARKUP = {
    "a MyST role": re.compile(r"\{(?:glue|glue:text|py:\w+|cite:\w+|doc|ref|numref|eq|math)\}`"),
    "a MyST directive or fence": re.compile(r"```|:::|\{code-cell\}|\{exercise\}|\{solution|\{bibliography\}"),
    "a claim marker or HTML comment": re.compile(r"<!--"),
    "raw TeX": re.compile(r"\$\$|\\\(|\\\[|\\(?:frac|sum|text|mathbin|nabla|partial|hat|leftarrow|lambda)\b"),
}


@cache
def _read(path) -> tuple[str, list[list[str]]]:
    """The PDF's text (ligatures unfolded, whitespace collapsed) and each page's image hashes.

    Extracting the text takes a while, so it is done once for every test process: kept beside the PDF in a
    JSON file, as long as the PDF is older than it. An image is hashed by its stored (undecoded) data.
    """
    import pypdf

    saved = Path(path).with_suffix(".text.json")
    with FileLock(f"{saved}.lock"):
        if saved.exists() and saved.stat().st_mtime >= Path(path).stat().st_mtime:
            text, pictures = json.loads(saved.read_text())
            return text, pictures
        reader = pypdf.PdfReader(str(path))
        text = " ".join(unicodedata.normalize("NFKC", page.extract_text() or "") for page in reader.pages)
        pictures = [_image_hashes(page) for page in reader.pages]
        text = re.sub(r"\s+", " ", text)
        saved.write_text(json.dumps([text, pictures]))
        return text, pictures


def _image_hashes(page) -> list[str]:
    """The hashes of the images a PDF page draws (its image XObjects; the book's pages nest none in forms)."""
    resources = page.get("/Resources")
    objects = resources.get_object().get("/XObject") if resources else None
    found = (value.get_object() for value in (objects.get_object().values() if objects else []))
    return [hashlib.sha1(obj.get_data()).hexdigest() for obj in found if obj.get("/Subtype") == "/Image"]


def _title(chapter) -> str:
    line = next(line for line in chapter.read_text().splitlines() if line.startswith("# "))
    return re.sub(r"\s+", " ", line[2:].replace("`", "")).strip()


def test_every_chapter_in_order(pdf_edition):
    text, _ = _read(pdf_edition)
    body = text[text.index(_title(chapters()[-1])) + 1 :]  # after the table of contents
    position = 0
    for chapter in chapters():
        title = _title(chapter)
        found = text.find(title, position)
        assert found >= 0, f"the PDF lacks the chapter {title!r}, or has it out of order"
        position = found + len(title)
    assert "Bibliography" in body, "the PDF has no bibliography"
    assert "Rumelhart" in body and "Cauchy" in body, "the bibliography's entries are missing from the PDF"


def test_glued_numbers_are_printed(pdf_edition):
    text, _ = _read(pdf_edition)
    missing = []
    for chapter in chapters():
        values = glued_values(executed_notebook(chapter))
        for name, spec in GLUE_TEXT.findall(chapter.read_text()):
            shown = format(values[name], spec) if spec else str(values[name])
            if shown not in text:
                missing.append(f"{chapter.stem}: {name} = {shown}")
    assert not missing, f"{len(missing)} glued numbers are not in the PDF's text:\n" + "\n".join(missing[:20])


def test_every_exercise_with_its_solution(pdf_edition):
    text, _ = _read(pdf_edition)
    exercises = sum(len(re.findall(r"^(?:```|:::)\{exercise\}", c.read_text(), re.M)) for c in chapters())
    solutions = sum(len(re.findall(r"^(?:```|:::)\{solution(?:-start)?\}", c.read_text(), re.M)) for c in chapters())
    assert exercises > 0 and solutions > 0
    assert len(re.findall(r"Solution to Exercise \d+\.\d+", text)) == solutions, "a folded solution is missing"
    assert len(set(re.findall(r"(?<!to )Exercise (\d+\.\d+)", text))) == exercises, "an exercise is missing"


def test_every_figure_is_printed(pdf_edition):
    """Each figure once: a matplotlib figure, an animation's still frame, a slider landscape (an image
    that runs on to the next page shows on both, and counts once)."""
    expected = 0
    for chapter in chapters():
        expected += len(images(executed_notebook(chapter)))
        notebook = json.loads(executed_notebook(chapter).read_text())
        for cell in notebook["cells"]:
            for output in cell.get("outputs", []):
                html = "".join(output.get("data", {}).get("text/html", ""))
                expected += html.count('class="animation"') + html.count('class="nnbook-sliders-landscape"')
    _, pictures = _read(pdf_edition)
    printed = sum(len(set(page) - set(pictures[i - 1] if i else [])) for i, page in enumerate(pictures))
    assert printed == expected, f"the PDF shows {printed} figures, the chapters drew {expected}"


def test_no_raw_markup(pdf_edition):
    text, _ = _read(pdf_edition)
    for what, pattern in RAW_MARKUP.items():
        found = pattern.findall(text)
        assert not found, f"the PDF shows {what}: {found[:5]}"
