"""The client portal in a real browser: `desk portal` serving the demo workspace, driven by
headless Chromium (Debian's chromium and chromedriver, through selenium) through signing in
from the e-mailed link, opening a request, replying, solving it and rating it with one
click, at desktop and phone widths (screenshots saved in the test's tmp_path), keyboard
only where it matters, with a label on every input and a skip link. Skips only where no
Chromium is installed."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from portal_server import portal_server, sign_in_link

pytestmark = pytest.mark.serial

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ADDRESS = "marco@copperleaf-bakery.example"  # the demo's Copperleaf Bakery
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def chromium(tmp_path):
    """A headless Chromium under selenium, with a profile of its own."""
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("no Chromium and chromedriver installed (apt-get install chromium "
                    "chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def unlabelled_inputs(driver) -> list[str]:
    """The visible inputs, text areas and selects of the page without a label."""
    from selenium.webdriver.common.by import By

    missing = []
    for field in driver.find_elements(By.CSS_SELECTOR, "input, textarea, select"):
        if field.get_attribute("type") == "hidden":
            continue
        ident = field.get_attribute("id")
        labels = driver.find_elements(By.CSS_SELECTOR, f"label[for='{ident}']") if ident else []
        if not labels and not field.get_attribute("aria-label"):
            missing.append(field.get_attribute("name"))
    return missing


def then_next_page(driver, action) -> None:
    """Do `action` (a click, Enter in a field) and wait until the page it leads to loaded."""
    from selenium.webdriver.support.ui import WebDriverWait

    # A mark on the old page's window: a new page has a window without it. (Waiting for the
    # old <html> element to go stale is flaky: Chromium may answer "node does not belong to
    # the document" instead of a stale element while the next page loads.)
    driver.execute_script("window.deskOldPage = true")
    action()
    WebDriverWait(driver, 15).until(lambda browser: browser.execute_script(
        "return window.deskOldPage === undefined && document.readyState === 'complete'"))


def check_page(driver, shots: Path, name: str) -> None:
    """Every input labelled, a skip link first, and a screenshot at each width."""
    from selenium.webdriver.common.by import By

    assert unlabelled_inputs(driver) == [], name
    skip = driver.find_element(By.CSS_SELECTOR, "a.skip")
    assert skip.get_attribute("href").endswith("#main")
    for width_name, (width, height) in WIDTHS.items():
        driver.set_window_size(width, height)
        driver.save_screenshot(str(shots / f"{name}-{width_name}.png"))
    driver.set_window_size(*WIDTHS["desktop"])


def test_a_contact_signs_in_asks_replies_solves_and_rates(chromium, demo_url, environment,
                                                          tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = chromium
    shots = tmp_path / "shots"  # kept with pytest's last few runs, not piled up in /tmp
    shots.mkdir()
    with portal_server(demo_url, tmp_path, environment) as portal:
        driver.get(f"{portal.base}/sign-in")
        check_page(driver, shots, "sign-in")
        # keyboard only: Tab reaches the skip link first, and Enter follows it
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        assert driver.switch_to.active_element.text == "Skip to content"
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        assert driver.current_url.endswith("#main")
        field = driver.find_element(By.ID, "address")
        then_next_page(driver, lambda: field.send_keys(ADDRESS, Keys.ENTER))  # the keyboard
        assert "a sign-in link is on its way" in driver.find_element(By.TAG_NAME, "main").text

        driver.get(portal.base + sign_in_link(demo_url, ADDRESS))
        check_page(driver, shots, "confirm")
        then_next_page(driver, driver.find_element(By.ID, "confirm").click)
        main = driver.find_element(By.TAG_NAME, "main").text
        assert "Your requests" in main and "Copperleaf Bakery" in driver.page_source
        check_page(driver, shots, "requests")

        then_next_page(driver, driver.find_element(By.LINK_TEXT, "Open a new request").click)
        check_page(driver, shots, "new-request")
        driver.find_element(By.ID, "subject").send_keys("Oven display shows E7")
        driver.find_element(By.ID, "description").send_keys("Since this morning.\nPlease help.")
        asked = time.monotonic()
        then_next_page(driver,
                       driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click)
        assert "Oven display shows E7" in driver.find_element(By.TAG_NAME, "h1").text
        task_id = int(driver.current_url.rsplit("/", 1)[1])
        assert in_inbox(demo_url, task_id) and time.monotonic() - asked < 2

        driver.find_element(By.ID, "body").send_keys("It shows E8 now.")
        then_next_page(driver, driver.find_element(By.XPATH, "//button[text()='Send reply']").click)
        assert "It shows E8 now." in driver.find_element(By.TAG_NAME, "main").text
        check_page(driver, shots, "request")
        then_next_page(driver,
                       driver.find_element(By.XPATH, "//button[text()='Mark as solved']").click)
        then_next_page(driver,
                       driver.find_element(By.CSS_SELECTOR, "button[name=score][value='5']").click)
        assert "You rated this 5 of 5" in driver.find_element(By.TAG_NAME, "main").text
        check_page(driver, shots, "rated")
    assert csat_of(demo_url, task_id) == 5
    assert len(list(shots.glob("*.png"))) == 2 * 6
    print(f"screenshots: {shots}")


def in_inbox(db_url: str, task_id: int) -> bool:
    """Whether the request is an open query on the support inbox, for an agent to see."""
    from desk import db
    from desk.models import Task, TaskList

    connected = db.connect(db_url, create=False)
    try:
        return (Task.select().join(TaskList)
                .where((Task.id == task_id) & (Task.kind == "query")
                       & Task.closed_at.is_null() & (TaskList.name == "Support inbox"))
                .exists())
    finally:
        connected.close()


def csat_of(db_url: str, task_id: int) -> int | None:
    """The CSAT score stored on a query."""
    from desk import db
    from desk.models import QueryData

    connected = db.connect(db_url, create=False)
    try:
        return QueryData.get_by_id(task_id).csat_score
    finally:
        connected.close()
