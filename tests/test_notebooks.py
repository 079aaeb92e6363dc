"""The notebooks execute top to bottom (nbclient, kernel python3) against a dataset built from
corpus/seeds, draw their charts, and `extractor report` saves the same charts as PNG."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from extractor.api import run

ROOT = Path(__file__).parent.parent
NOTEBOOKS = ROOT / "notebooks"
# notebook → number of charts it draws
CHARTS = {"citations.ipynb": 2, "tasks.ipynb": 2}

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _kernels_of_this_interpreter(monkeypatch):
    """The kernel `python3` is the one of the interpreter running the tests (the project's .venv),
    not one a `--user` install of another Python left in ~/.local/share/jupyter."""
    monkeypatch.setenv("JUPYTER_PATH", str(Path(sys.prefix) / "share" / "jupyter"))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("nb") / "dataset"
    run([ROOT / "corpus" / "seeds"], out)
    return out


def _execute(name: str, dataset: Path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("DATASET", str(dataset))  # the kernel inherits the environment
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return nb


def _outputs(nb) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def test_notebooks_are_committed_without_outputs():
    import nbformat

    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(CHARTS)
    for name in CHARTS:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        nbformat.validate(nb)
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), name
        assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_notebook_runs_against_the_dataset(name, dataset, monkeypatch):
    nb = _execute(name, dataset, monkeypatch)
    outs = _outputs(nb)
    assert not [o for o in outs if o.output_type == "error"]
    pngs = [o for o in outs if "image/png" in o.get("data", {})]
    assert len(pngs) == CHARTS[name]
    # it read the dataset it was given, not ../dataset
    text = "".join(o.get("text", "") for o in outs if o.output_type == "stream")
    assert str(dataset.resolve()) in text
    tables = [o["data"]["text/plain"] for o in outs if "text/html" in o.get("data", {})]
    assert len(tables) >= 4, "the notebook shows its tables"
    if name == "citations.ipynb":
        assert any("05-CT/TW" in t for t in tables)   # cited by three seed documents
    else:
        assert any("Trưởng ban" in t for t in tables)  # the lead of most tasks in seed 000


def test_report_command_writes_the_charts(dataset, tmp_path):
    from PIL import Image
    from typer.testing import CliRunner

    from extractor.cli import app

    out = tmp_path / "png"
    res = CliRunner().invoke(app, ["report", str(dataset), "--out", str(out)])
    assert res.exit_code == 0, res.output
    names = sorted(p.name for p in out.glob("*.png"))
    assert names == ["citation_network.png", "most_cited.png", "timeline.png", "workload.png"]
    for p in out.glob("*.png"):
        im = Image.open(p).convert("L")
        w, h = im.size
        assert w >= 800 and h >= 500, (p.name, im.size)
        # a drawn chart, not a blank canvas: a fair share of non-white pixels
        hist = im.histogram()
        assert sum(hist[:200]) > 0.01 * w * h, p.name
    assert json.loads((out / "report.json").read_text())["charts"] == [
        "most_cited.png", "citation_network.png", "workload.png", "timeline.png"]

    bad = CliRunner().invoke(app, ["report", str(dataset), "--out", str(out), "--plan", "no_such_doc"])
    assert bad.exit_code == 2 and "no_such_doc" in bad.output
    missing = CliRunner().invoke(app, ["report", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "extractor run" in missing.output


def test_report_functions_on_an_empty_dataset(tmp_path):
    """A corpus where nothing could be read still gives (empty) charts, not a crash."""
    from extractor import report

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    run([corpus], tmp_path / "ds")
    paths = report.save_report(tmp_path / "ds", tmp_path / "png")
    assert len(paths) == 4 and all(p.stat().st_size > 1000 for p in paths)


def test_issuer_levels_come_from_the_codes():
    from extractor.report import document_level, id_level

    assert id_level("05-CT/TW") == "central"
    assert id_level("489-KH/BTGTW") == "central"
    assert id_level("224-KL/TU") == "local"
    assert id_level("01-CTr/BTGTU-HĐND-UBND-TA-VKS") == "local"
    assert id_level("30/2020/NĐ-CP") == "state"
    assert id_level("21/KL-BCA") == "state"
    assert id_level("05-CT") == "unknown" and id_level("name:Luật Đất đai") == "unknown"
    assert document_level(None, "BAN CHẤP HÀNH TRUNG ƯƠNG", None) == "central"
    assert document_level(None, "TỈNH ỦY ĐỒNG NAI / BAN TUYÊN GIÁO", "Đồng Nai") == "local"
    assert document_level("143-KH/BTGTU", None, None) == "local"
    assert document_level(None, None, None) == "unknown"


def test_notebook_kernel_is_available():
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    assert "python3" in KernelSpecManager().find_kernel_specs(), \
        "no python3 kernel: run `bash scripts/install.sh --dev`"
    # the command that starts the kernel is this interpreter (a bare `python` is replaced by it)
    cmd = KernelManager(kernel_name="python3").format_kernel_cmd()
    assert Path(cmd[0]).resolve() == Path(sys.executable).resolve(), cmd
