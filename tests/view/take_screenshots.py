"""Screenshots of exports/network.html for the README, 1280×720, in Debian Chromium.

    python tests/view/take_screenshots.py      # writes exports/network*.png

Needs playwright (the test extra) and /usr/bin/chromium with fonts-noto-cjk. Each shot shows
one of the questions the page answers: the network, the organisations serving 不登校の児童生徒
in 東京都 (results list), and the gap view (target groups × prefectures).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "exports" / "network.html"
OUT = ROOT / "exports"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
VIEWS = {
    "network.png": "",
    "network-results.png": "#pref=pref-130001&target=tg-school-non-attendance&targetMode=both",
    "network-gaps.png": "#view=gaps",
    "network-partner-kinds.png": "#cat=1",
}


def main() -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, fragment in VIEWS.items():
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(PAGE.as_uri() + fragment)
            page.wait_for_function("window.tsunagari && window.tsunagari.ready")
            page.wait_for_timeout(300)
            page.screenshot(path=str(OUT / name))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
