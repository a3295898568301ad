"""Drives headless Chromium (through chromedriver and Selenium) through the gateway's dashboard.

usage: dashboard_browser.py BASE_URL ADMIN_TOKEN OUT_DIR

Opens BASE_URL/_l402/dashboard, reads the login form, submits a wrong token, then the right one,
saves a screenshot (OUT_DIR/dashboard.png) and the DOM (OUT_DIR/dashboard.html), reads what the
page shows, logs out, and prints one JSON object describing everything it saw (with "seconds":
when each step was done, to tell a slow machine from a slow page). It asserts nothing:
the Swift test does, against the data it seeded.
"""
import json
import shutil
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

WAIT_SECONDS = 15


def browser(profile):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile, "--window-size=1280,2000", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--disable-default-apps",
    ]:
        options.add_argument(argument)
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


def login_form(driver):
    forms = driver.find_elements(By.ID, "login")
    errors = driver.find_elements(By.ID, "login-error")
    return {
        "present": bool(forms),
        "has_token_field": bool(driver.find_elements(By.CSS_SELECTOR, "#login input[name=token][type=password]")),
        "error": errors[0].text if errors else None,
    }


def submit_token(driver, token):
    field = driver.find_element(By.CSS_SELECTOR, "#login input[name=token]")
    field.clear()
    field.send_keys(token)
    driver.find_element(By.CSS_SELECTOR, "#login button[type=submit]").click()


# Reads the page in one round trip (a WebDriver call per element would cost seconds on a busy
# machine): rendered text (innerText, as a reader sees it), attributes and laid-out sizes.
READ_DASHBOARD = """
const text = (element) => element.innerText.trim();
const cells = (row) => Array.from(row.querySelectorAll("td"), text);
const summary = {};
for (const key of ["calls-today", "sats-today", "calls-total", "sats-total"]) {
    const element = document.getElementById(key);
    summary[key] = element ? text(element) : null;
}
return {
    title: document.title,
    summary: summary,
    tools: Array.from(document.querySelectorAll("#tools tr.tool"), (row) => ({slug: row.dataset.slug, cells: cells(row)})),
    schemes: Array.from(document.querySelectorAll("#schemes tr.scheme"), (row) => ({scheme: row.dataset.scheme, cells: cells(row)})),
    charts: Array.from(document.querySelectorAll("svg.chart"), (svg) => ({
        class: svg.getAttribute("class"),
        bars: Array.from(svg.querySelectorAll("rect.bar"), (bar) => ({
            day: bar.dataset.day, value: Number(bar.dataset.value), height: Number(bar.getAttribute("height"))})),
        rendered_width: svg.getBoundingClientRect().width,
        rendered_height: svg.getBoundingClientRect().height,
    })),
    invocations: Array.from(document.querySelectorAll("#invocations tr.invocation"), cells),
    scripts: document.getElementsByTagName("script").length,
};
"""


def read_dashboard(driver):
    return driver.execute_script(READ_DASHBOARD)


def main():
    base, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
    profile = tempfile.mkdtemp(prefix="l402-chromium-")
    report = {}
    started = time.monotonic()
    timings = report["seconds"] = {}

    def lap(name):
        timings[name] = round(time.monotonic() - started, 2)

    driver = browser(profile)
    lap("browser_started")
    try:
        driver.set_page_load_timeout(WAIT_SECONDS)
        wait = WebDriverWait(driver, WAIT_SECONDS)
        driver.get(base + "/_l402/dashboard")
        wait.until(expected_conditions.presence_of_element_located((By.ID, "login")))
        report["before_login"] = login_form(driver)
        lap("login_form")

        submit_token(driver, "not-the-admin-token")
        wait.until(expected_conditions.presence_of_element_located((By.ID, "login-error")))
        report["wrong_token"] = login_form(driver)

        submit_token(driver, token)
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#tools, #no-tools")))
        report["url_after_login"] = driver.current_url
        report["cookies"] = driver.get_cookies()
        report["script_visible_cookie"] = driver.execute_script("return document.cookie")
        lap("logged_in")
        report["dashboard"] = read_dashboard(driver)
        lap("page_read")
        driver.save_screenshot(out + "/dashboard.png")
        with open(out + "/dashboard.html", "w", encoding="utf-8") as dom:
            dom.write(driver.execute_script("return document.documentElement.outerHTML"))

        driver.find_element(By.CSS_SELECTOR, "form.logout button").click()
        wait.until(expected_conditions.presence_of_element_located((By.ID, "login")))
        report["after_logout"] = login_form(driver)
        report["cookies_after_logout"] = driver.get_cookies()
        lap("logged_out")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        lap("browser_quit")
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
