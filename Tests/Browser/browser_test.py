#!/usr/bin/env python3
"""The web pages in a real browser (headless Chromium through chromedriver).

Signs in with an editor's API token, opens every page reachable from the overview (in English and in Chinese),
fails on any console error, broken link or page without a heading, checks that the numbers on the overview and
the funnel explorer equal the API's JSON for the same query, checks every item of the open review and closes it
through the page's forms, and saves screenshots as artifacts.

Usage: browser_test.py BASE_URL EDITOR_TOKEN REVIEW_ID ACTION_ID ARTIFACT_DIR
Run by Tests/Browser/run.sh, which builds the demo workspace and starts the server.
"""
import base64
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections import deque

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

BASE, TOKEN, REVIEW, ACTION, ARTIFACTS = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message, flush=True)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1440,1000",
                     "--lang=en-US", "--no-first-run", "--disable-extensions", "--disable-background-networking"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def api(path):
    request = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + TOKEN, "Accept-Language": "en"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status_of(path, cookie):
    """The status a page answers with, redirects not followed (a lost session is a 303 to /sign-in)."""
    request = urllib.request.Request(BASE + path, headers={"Cookie": "linkstar_session=" + cookie})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def console_errors(driver, where):
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            fail(f"console error on {where}: {entry.get('message')}")


def screenshot(driver, name):
    """The whole page, not only the window (Chrome's DevTools protocol captures beyond the viewport)."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000), "scale": 1}})
    path = os.path.join(ARTIFACTS, name + ".png")
    with open(path, "wb") as file:
        file.write(base64.b64decode(shot["data"]))
    print("screenshot:", path, flush=True)


def shown_number(text):
    """The first number in a cell as shown (`17,587.9/day`, `2.48%`, `86.37 MYR`): its value, decimals, and whether it is a %."""
    match = re.search(r"-?[\d,]+(?:\.\d+)?", text)
    if not match:
        return None, 0, False
    digits = match.group(0)
    return float(digits.replace(",", "")), len(digits.split(".")[1]) if "." in digits else 0, text[match.end():].startswith("%")


def same_shown(text, value, where):
    """The number on the page is the API's value at the precision shown."""
    shown, decimals, percent = shown_number(text)
    if value is None:
        if shown is not None and text.strip() not in ("-", ""):
            fail(f"{where}: the page shows {text!r}, the API has no value")
        return
    if shown is None:
        fail(f"{where}: the page shows {text!r}, the API says {value}")
        return
    expected = value * 100 if percent else value
    tolerance = 0.5 * 10 ** -decimals + 1e-9
    if abs(shown - expected) > tolerance:
        fail(f"{where}: the page shows {text!r} ({shown}), the API says {expected}")


def submit(driver, button):
    """Clicks a form's button and waits until the next page has replaced this one."""
    page = driver.find_element(By.TAG_NAME, "html")
    button.click()

    def replaced(_):
        # Chromium reports a node of a document being replaced either as stale or, mid-navigation, as "Node with
        # given id does not belong to the document": both mean the old page is gone.
        try:
            page.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise

    WebDriverWait(driver, 15).until(replaced)
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def sign_in(driver):
    driver.get(BASE + "/")
    if not driver.current_url.endswith("/sign-in"):
        fail(f"a visitor without a session is not sent to /sign-in but to {driver.current_url}")
    driver.find_element(By.NAME, "token").send_keys(TOKEN)
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    if driver.current_url.rstrip("/") != BASE.rstrip("/"):
        fail(f"after sign-in the browser is at {driver.current_url}, not the overview")
    console_errors(driver, "sign-in")
    cookie = driver.get_cookie("linkstar_session")
    if not cookie or not cookie.get("httpOnly") or cookie.get("sameSite") != "Strict":
        fail(f"the session cookie is not HttpOnly and SameSite=Strict: {cookie}")
    return cookie["value"]


def crawl(driver, cookie, language):
    """Every page reachable from the overview by a link; each must answer 200, have a heading and log no error."""
    suffix = "" if language == "en" else "lang=zh"
    queue, seen, kinds = deque(["/"]), {"/"}, set()
    while queue and len(seen) < 400:
        path = queue.popleft()
        status = status_of(path, cookie)
        if status != 200:
            fail(f"broken link {path}: {status}")
            continue
        url = BASE + path + (("&" if "?" in path else "?") + suffix if suffix else "")
        driver.get(url)
        console_errors(driver, url)
        headings = driver.find_elements(By.TAG_NAME, "h1")
        if not headings or not headings[0].text.strip():
            fail(f"{url} has no heading")
        if language == "zh" and driver.find_element(By.TAG_NAME, "html").get_attribute("lang") != "zh-CN":
            fail(f"{url} is not marked zh-CN")
        kinds.add(path.split("?")[0].rstrip("0123456789").split("/")[1] if path != "/" else "overview")
        for link in driver.find_elements(By.CSS_SELECTOR, "a[href]"):
            href = link.get_attribute("href")
            if not href.startswith(BASE):
                fail(f"{url} links outside the site: {href}")
                continue
            relative = href[len(BASE):] or "/"
            relative = re.sub(r"[?&]lang=zh$", "", relative).replace("?lang=zh&", "?")
            if relative not in seen:
                seen.add(relative)
                queue.append(relative)
    expected = {"overview", "tv", "kpis", "people", "funnel", "playbooks", "audit", "reviews", "actions"}
    if not expected <= kinds:
        fail(f"the crawl ({language}) did not reach {sorted(expected - kinds)}")
    print(f"crawl ({language}): {len(seen)} pages, kinds {sorted(kinds)}", flush=True)


def numbers(driver):
    """The overview's tiles and the explorer's step rates equal the API's JSON for the same query."""
    driver.get(BASE + "/")
    statuses = {k["id"]: k for k in api("/api/v1/kpis/status?limit=500")["items"]}
    tiles = driver.find_elements(By.CSS_SELECTOR, "article.tile[data-kpi]")
    if len(tiles) != len(statuses):
        fail(f"the overview shows {len(tiles)} KPI tiles, the API has {len(statuses)}")
    for tile in tiles:
        kpi = statuses.get(int(tile.get_attribute("data-kpi")))
        if kpi is None:
            fail(f"tile for unknown KPI {tile.get_attribute('data-kpi')}")
            continue
        raw = tile.get_attribute("data-value")
        if (kpi["current"] is None) != (raw == "") or (raw and float(raw) != kpi["current"]):
            fail(f"KPI {kpi['id']}: the page has {raw!r}, the API {kpi['current']}")
        same_shown(tile.find_element(By.CSS_SELECTOR, ".value").text, kpi["current"], f"KPI {kpi['id']} tile")
        if kpi["status"] not in tile.get_attribute("class"):
            fail(f"KPI {kpi['id']}: the tile's colour is not its status {kpi['status']}")
    checked = 0
    for query in ["", "?period=last-30d&market=MY&device=mobile", "?period=last-7d&channel=shopee&compare=previous"]:
        report = api("/api/v1/funnel" + query)
        rates = {f"{s['from_metric']}>{s['to_metric']}": s for s in report["steps"] + report["retention"]}
        driver.get(BASE + "/funnel" + query)
        rows = driver.find_elements(By.CSS_SELECTOR, "section.funnel tr[data-step]")
        if len(rows) != len(rates):
            fail(f"/funnel{query}: {len(rows)} steps on the page, {len(rates)} in the API")
        for row in rows:
            step = rates.get(row.get_attribute("data-step"))
            raw = row.get_attribute("data-rate")
            if step is None or (step["rate"] is None) != (raw == "") or (raw and float(raw) != step["rate"]):
                fail(f"/funnel{query} {row.get_attribute('data-step')}: the page has {raw!r}, the API {step and step['rate']}")
                continue
            if step["problem"] is None:
                same_shown(row.find_elements(By.TAG_NAME, "td")[3].text, step["rate"], f"/funnel{query} {row.get_attribute('data-step')} rate")
            checked += 1
    print(f"numbers: {len(tiles)} tiles and {checked} funnel steps equal the API", flush=True)


def close_review(driver):
    """Check every item of the open review through its form (with a note), then close it: the API sees it closed."""
    path = f"/reviews/{REVIEW}"
    for _ in range(100):
        driver.get(BASE + path)
        forms = [f for f in driver.find_elements(By.CSS_SELECTOR, ".item form") if f.get_attribute("action").endswith("/check")]
        if not forms:
            break
        form = forms[0]
        form.find_element(By.NAME, "note").send_keys("checked in the browser test: numbers reviewed with the team")
        submit(driver, form.find_element(By.TAG_NAME, "button"))
        console_errors(driver, path + " (check)")
        if driver.find_elements(By.CSS_SELECTOR, "p.error"):
            fail(f"checking an item was refused: {driver.find_element(By.CSS_SELECTOR, 'p.error').text}")
            break
    driver.get(BASE + path)
    for kind, text in [("finding", "Checkout errors on MY mobile after the SDK update"), ("decision", "Roll back the SDK; chen.jie by Friday")]:
        form = driver.find_element(By.CSS_SELECTOR, f"form.note input[name=kind][value={kind}]").find_element(By.XPATH, "..")
        form.find_element(By.NAME, "text").send_keys(text)
        submit(driver, form.find_element(By.TAG_NAME, "button"))
    screenshot(driver, "review-checked-en")
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form.close button"))
    console_errors(driver, path + " (close)")
    for error in driver.find_elements(By.CSS_SELECTOR, "p.error"):
        fail(f"closing the review was refused: {error.text}")
    review = api(f"/api/v1/reviews/{REVIEW}")["review"]
    if review.get("status") != "closed" or any(not item["checked"] for item in review["items"]):
        fail(f"the review is not closed with every item checked after the forms: {review.get('status')}")
    if [f["text"] for f in review["findings"]][-1:] != ["Checkout errors on MY mobile after the SDK update"]:
        fail(f"the finding added through the form is not in the API: {review['findings']}")
    driver.get(BASE + path)
    if driver.find_elements(By.CSS_SELECTOR, "form.close"):
        fail("a closed review still offers the close form")
    print(f"review #{REVIEW}: {len(review['items'])} items checked and closed through the forms", flush=True)


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    driver = browser()
    try:
        cookie = sign_in(driver)
        for language in ["en", "zh"]:
            suffix = "" if language == "en" else "?lang=zh"
            for name, path in [("overview", "/"), ("funnel", "/funnel?period=last-30d"), ("action", f"/actions/{ACTION}"),
                               ("review", f"/reviews/{REVIEW}"), ("tv", "/tv")]:
                joiner = "&" if "?" in path and suffix else ""
                driver.get(BASE + path + (joiner + suffix[1:] if joiner else suffix))
                console_errors(driver, path)
                if language == "zh" and "总览" not in driver.page_source and name == "overview":
                    fail("the Chinese overview is not in Chinese")
                screenshot(driver, f"{name}-{language}")
        numbers(driver)
        crawl(driver, cookie, "en")
        crawl(driver, cookie, "zh")
        close_review(driver)
        submit(driver, driver.find_element(By.CSS_SELECTOR, "nav form button"))
        if not driver.current_url.endswith("/sign-in"):
            fail(f"sign-out did not lead to /sign-in: {driver.current_url}")
        if status_of("/", cookie) != 303:
            fail("the session still works after sign-out")
    finally:
        driver.quit()
    if failures:
        print(f"browser test: {len(failures)} failures", flush=True)
        sys.exit(1)
    print("browser test: passed", flush=True)


if __name__ == "__main__":
    main()
