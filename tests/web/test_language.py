"""The language switch never covers work (door, MC console, office tables at tablet, laptop and
phone sizes), and a door tablet can be locked to one language."""
from __future__ import annotations

import pytest

SIZES = {"tablet": (1024, 768), "laptop": (1366, 768), "phone": (390, 844)}

# Everything a person works with on these pages: the switch's box must touch none of them.
OVERLAPS = """() => {
  window.scrollTo(0, document.documentElement.scrollHeight);
  const sw = document.querySelector('.lang-switch');
  if (!sw) return {missing: true};
  const box = sw.getBoundingClientRect();
  const hits = [];
  for (const node of document.querySelectorAll('button, a, input, select, textarea, tr, li, .person, .controls')) {
    if (sw.contains(node) || node.contains(sw) || !node.getClientRects().length) continue;
    const r = node.getBoundingClientRect();
    if (r.width && r.height && r.left < box.right && box.left < r.right && r.top < box.bottom && box.top < r.bottom) {
      hits.push(node.tagName + '.' + node.className + ' ' + (node.textContent || '').trim().slice(0, 30));
    }
  }
  return {missing: false, hits};
}"""


def test_a_locked_language_stays_and_hides_the_switch(client):
    locked = client.get("/login?lang=en&lang_lock=1")
    assert 'lang="en"' in locked.get_data(as_text=True) and "lang_lock=en" in " ".join(locked.headers.getlist("Set-Cookie"))
    page = client.get("/login?lang=vi").get_data(as_text=True)  # a visitor's tap cannot switch it
    assert 'lang="en"' in page and 'class="lang-switch"' not in page
    unlocked = client.get("/login?lang_lock=0&lang=vi").get_data(as_text=True)
    assert 'lang="vi"' in unlocked and 'class="lang-switch"' in unlocked
    assert 'class="lang-switch"' in client.get("/login").get_data(as_text=True)


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES)
def test_the_switch_covers_no_button_or_row(chromium, live_server, size):
    width, height = SIZES[size]
    pages = {"door": ("door", "/door"), "mc": ("mc", "/mc"), "office": ("admin", "/admin/delegates")}
    problems = {}
    for name, (role, path) in pages.items():
        context = chromium.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        try:
            page.goto(f"{live_server.url}/pair/{live_server.pairing(role)}")
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)  # the door's and the MC's lists are drawn from the snapshot
            found = page.evaluate(OVERLAPS)
            assert not found["missing"], name
            if found["hits"]:
                problems[name] = found["hits"]
        finally:
            context.close()
    assert problems == {}


@pytest.mark.browser
def test_a_door_paired_with_a_locked_language_keeps_it(page, live_server):
    page.goto(f"{live_server.url}/pair/{live_server.pairing('door')}?lang=en&lang_lock=1")
    page.wait_for_url("**/door**")
    assert page.locator("html").get_attribute("lang") == "en" and page.locator(".lang-switch").count() == 0
    page.goto(live_server.url + "/door?lang=vi")
    assert page.locator("html").get_attribute("lang") == "en"
