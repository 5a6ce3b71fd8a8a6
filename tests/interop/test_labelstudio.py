"""A Label Studio 1.23.2 server on 127.0.0.1 takes the export through its REST API; the tasks
read back have every region on the right text in code points (its Text tag's unit), its own
editor (in headless Chromium) highlights every region on its text, and its own export imports
back into redline with annotators, notes and ids."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

from tests.interop.conftest import LABELS, SIDE, export, redline, side_tool
from tui.core.store import Store

requests = pytest.importorskip("requests", reason="requests is needed")

EMAIL = "redline@example.com"
PASSWORD = "redline-interop-only"
CONFIG = ("<View>\n  <Labels name=\"label\" toName=\"text\">"
          + "".join(f'<Label value="{label}"/>' for label in LABELS)
          + "</Labels>\n  <Text name=\"text\" value=\"$text\"/>\n"
          "  <TextArea name=\"note\" toName=\"text\" perRegion=\"true\"/>\n</View>")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    command = side_tool("REDLINE_LABEL_STUDIO", SIDE / "ls-venv" / "bin" / "label-studio",
                        "the label-studio command (Label Studio 1.23.2)")
    data = tmp_path_factory.mktemp("label-studio")
    port = free_port()
    env = {**os.environ, "LABEL_STUDIO_USERNAME": EMAIL, "LABEL_STUDIO_PASSWORD": PASSWORD,
           "LABEL_STUDIO_BASE_DATA_DIR": str(data), "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
           "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": ""}
    log = (data / "server.log").open("w")
    server = subprocess.Popen([str(command), "start", "--no-browser", "--internal-host", "127.0.0.1",
                               "--port", str(port), "--data-dir", str(data)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if requests.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Label Studio did not start:\n{(data / 'server.log').read_text()[-3000:]}")
            time.sleep(1)
        session = requests.Session()
        session.get(f"{base}/user/login/", timeout=30)
        session.post(f"{base}/user/login/", timeout=30, headers={"Referer": f"{base}/user/login/"},
                     data={"email": EMAIL, "password": PASSWORD,
                           "csrfmiddlewaretoken": session.cookies.get("csrftoken")})
        session.headers.update({"X-CSRFToken": session.cookies.get("csrftoken"), "Referer": base})
        version = session.get(f"{base}/api/version", timeout=30).json()
        yield base, session, version
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def new_project(base, session, title: str) -> int:
    response = session.post(f"{base}/api/projects/", json={"title": title, "label_config": CONFIG}, timeout=60)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_label_studio_takes_the_export_and_shows_every_region_on_its_text(label_studio, test_set, tmp_path) -> None:
    base, session, version = label_studio
    assert version["release"] == "1.23.2"
    path = tmp_path / "tasks.json"
    export(test_set, "labelstudio", path)
    project = new_project(base, session, "redline interop")
    response = session.post(f"{base}/api/projects/{project}/import", json=json.loads(path.read_text()),
                            timeout=300)
    assert response.status_code == 201, response.text
    imported = response.json()
    assert imported["task_count"] == len(test_set.articles)
    per_article = {(r["article_id"], r["annotator"]) for r in test_set.records}
    assert imported["annotation_count"] == len(per_article)  # one annotation per annotator and task

    response = session.get(f"{base}/api/projects/{project}/export", params={"exportType": "JSON"}, timeout=300)
    assert response.status_code == 200
    tasks = response.json()
    by_id = {r["id"]: r for r in test_set.records}
    regions = 0
    for task in tasks:
        text = task["data"]["text"]
        assert text == test_set.articles[task["data"]["article_id"]].text
        for annotation in task["annotations"]:
            assert isinstance(annotation["completed_by"], int) and "meta" not in annotation
            for result in annotation["result"]:
                if result["type"] != "labels":
                    continue
                value = result["value"]
                # Label Studio counts code points: Python's own slicing gives the region's text.
                assert text[value["start"]:value["end"]] == value["text"] == by_id[result["id"]]["quote"]
                regions += 1
    assert regions == len(test_set.records)
    (tmp_path / "ls-export.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")

    fresh = tmp_path / "fresh"
    result = redline("import", tmp_path / "ls-export.json", "--format", "labelstudio", "--store", fresh,
                     "--corpus", test_set.corpus)
    assert result.stderr.startswith(f"{len(test_set.records)} imported, 0 already present"), result.stderr
    fields = ("id", "article_id", "start", "end", "quote", "label", "note", "annotator")
    back = sorted(tuple(r[f] for f in fields) for r in Store(fresh).iter_all())
    assert back == sorted(tuple(r[f] for f in fields) for r in test_set.records)
    again = redline("import", tmp_path / "ls-export.json", "--format", "labelstudio", "--store", fresh,
                    "--corpus", test_set.corpus)
    assert again.stderr.startswith(f"0 imported, {len(test_set.records)} already present")


def test_utf16_offsets_would_put_emoji_article_regions_on_the_wrong_text(label_studio, test_set, tmp_path) -> None:
    """Why the default is code points: the same tasks in UTF-16 units land elsewhere."""
    base, session, _ = label_studio
    path = tmp_path / "tasks16.json"
    export(test_set, "labelstudio", path, "--offsets", "utf16")
    project = new_project(base, session, "redline utf16")
    response = session.post(f"{base}/api/projects/{project}/import", json=json.loads(path.read_text()),
                            timeout=300)
    assert response.status_code == 201, response.text
    tasks = session.get(f"{base}/api/projects/{project}/export", params={"exportType": "JSON"},
                        timeout=300).json()
    wrong = [r for t in tasks for a in t["annotations"] for r in a["result"] if r["type"] == "labels"
             and t["data"]["text"][r["value"]["start"]:r["value"]["end"]] != r["value"]["text"]]
    assert wrong and all("tokyo" in t["data"]["article_id"] for t in tasks
                         for a in t["annotations"] for r in a["result"] if r in wrong)


REGION_TEXTS = """
const found = {};
for (const span of document.querySelectorAll('.htx-highlight')) {
  const name = Array.from(span.classList).find(c => c.startsWith('htx-highlight-'));
  if (!name) continue;
  const region = name.slice('htx-highlight-'.length).replace(/-\\d+$/, '');
  (found[region] = found[region] || []).push(span.textContent);
}
return found;
"""


SELECT = """
const store = window.Htx && window.Htx.annotationStore;
if (!store) return false;
const annotation = store.annotations.find(a => String(a.pk) === String(arguments[0]));
if (!annotation) return false;
store.selectAnnotation(annotation.id);
return true;
"""


def wait_for_regions(driver, annotation_id: int, wanted: set[str]) -> dict:
    """Select the annotation in the editor (its tab) and wait until its regions are drawn."""
    deadline = time.monotonic() + 90
    found: dict = {}
    while time.monotonic() < deadline:
        if driver.execute_script(SELECT, annotation_id):
            found = driver.execute_script(REGION_TEXTS)
            if set(found) >= wanted:
                break
        time.sleep(0.5)
    return found


def strip_breaks(text: str) -> str:
    return text.replace("\r", "").replace("\n", "")


def browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is needed (pip install -e '.[interop]')")
    from selenium.webdriver.chrome.service import Service

    chromium = os.environ.get("REDLINE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    driver = os.environ.get("REDLINE_CHROMEDRIVER") or shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("Chromium and its driver are needed for the UI check (apt-get install chromium "
                    "chromium-driver, or set REDLINE_CHROMIUM and REDLINE_CHROMEDRIVER)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(driver), options=options)


def test_label_studio_ui_draws_every_region_on_its_text(label_studio, test_set, tmp_path) -> None:
    """Label Studio's own editor, in headless Chromium, highlights each region of each annotation
    on the text it quotes: the DOM spans it makes from the offsets hold the quote."""
    from selenium.webdriver.common.by import By

    base, session, _ = label_studio
    path = tmp_path / "tasks.json"
    export(test_set, "labelstudio", path)
    project = new_project(base, session, "redline ui")
    response = session.post(f"{base}/api/projects/{project}/import", json=json.loads(path.read_text()),
                            timeout=300)
    assert response.status_code == 201, response.text
    tasks = session.get(f"{base}/api/projects/{project}/export", params={"exportType": "JSON"},
                        timeout=300).json()
    by_id = {r["id"]: r for r in test_set.records}
    driver = browser()
    try:
        driver.get(f"{base}/user/login/")
        driver.find_element(By.NAME, "email").send_keys(EMAIL)
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
        drawn = 0
        for task in tasks:
            driver.get("about:blank")  # a fresh editor for each task
            driver.get(f"{base}/projects/{project}/data?task={task['id']}")
            for annotation in task["annotations"]:
                wanted = {r["id"] for r in annotation["result"] if r["type"] == "labels"}
                found = wait_for_regions(driver, annotation["id"], wanted)
                assert set(found) >= wanted, (task["data"]["article_id"], sorted(wanted - set(found)))
                for region in wanted:
                    # The editor draws line breaks as elements, outside the highlight spans.
                    shown = "".join(found[region])
                    assert shown == strip_breaks(by_id[region]["quote"]), (region, shown)
                    drawn += 1
        assert drawn == len(test_set.records)
    finally:
        driver.quit()
