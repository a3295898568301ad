"""Drives headless Chromium (through chromedriver and Selenium) through the gateway's dashboard.

usage: dashboard_browser.py BASE_URL ADMIN_TOKEN OUT_DIR

Opens BASE_URL/_l402/dashboard, reads the login form, submits a wrong token, then the right one,
saves a screenshot (OUT_DIR/dashboard.png) and the DOM (OUT_DIR/dashboard.html), reads what the
page shows, logs out, and prints one JSON object describing everything it saw. It asserts nothing:
the Swift test does, against the data it seeded.
"""
import json
import shutil
import sys
import tempfile

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


def texts(elements):
    return [element.text.strip() for element in elements]


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


def read_dashboard(driver):
    tools = []
    for row in driver.find_elements(By.CSS_SELECTOR, "#tools tr.tool"):
        tools.append({"slug": row.get_attribute("data-slug"), "cells": texts(row.find_elements(By.TAG_NAME, "td"))})
    charts = []
    for svg in driver.find_elements(By.CSS_SELECTOR, "svg.chart"):
        bars = [
            {"day": bar.get_attribute("data-day"), "value": int(bar.get_attribute("data-value")),
             "height": float(bar.get_attribute("height"))}
            for bar in svg.find_elements(By.CSS_SELECTOR, "rect.bar")
        ]
        charts.append({"class": svg.get_attribute("class"), "bars": bars,
                       "rendered_width": svg.size["width"], "rendered_height": svg.size["height"]})
    invocations = [texts(row.find_elements(By.TAG_NAME, "td"))
                   for row in driver.find_elements(By.CSS_SELECTOR, "#invocations tr.invocation")]
    summary = {key: driver.find_element(By.ID, key).text for key in ["calls-today", "sats-today", "calls-total", "sats-total"]}
    return {
        "title": driver.title,
        "summary": summary,
        "tools": tools,
        "charts": charts,
        "invocations": invocations,
        "scripts": len(driver.find_elements(By.TAG_NAME, "script")),
        "text": driver.find_element(By.TAG_NAME, "body").text,
    }


def main():
    base, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
    profile = tempfile.mkdtemp(prefix="l402-chromium-")
    report = {}
    driver = browser(profile)
    try:
        driver.set_page_load_timeout(WAIT_SECONDS)
        wait = WebDriverWait(driver, WAIT_SECONDS)
        driver.get(base + "/_l402/dashboard")
        wait.until(expected_conditions.presence_of_element_located((By.ID, "login")))
        report["before_login"] = login_form(driver)

        submit_token(driver, "not-the-admin-token")
        wait.until(expected_conditions.presence_of_element_located((By.ID, "login-error")))
        report["wrong_token"] = login_form(driver)

        submit_token(driver, token)
        wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "#tools, #no-tools")))
        report["url_after_login"] = driver.current_url
        report["cookies"] = driver.get_cookies()
        report["script_visible_cookie"] = driver.execute_script("return document.cookie")
        report["dashboard"] = read_dashboard(driver)
        driver.save_screenshot(out + "/dashboard.png")
        with open(out + "/dashboard.html", "w", encoding="utf-8") as dom:
            dom.write(driver.execute_script("return document.documentElement.outerHTML"))

        driver.find_element(By.CSS_SELECTOR, "form.logout button").click()
        wait.until(expected_conditions.presence_of_element_located((By.ID, "login")))
        report["after_logout"] = login_form(driver)
        report["cookies_after_logout"] = driver.get_cookies()
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
