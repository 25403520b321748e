"""The main menu names each place once, in every language: two links with the same words (the
Swedish menu said "Meddelanden" for both the messages and the notifications) leave a person, and a
screen reader's list of links, unable to tell them apart."""

import re

import pytest

from tests import world
from tests.helpers import login

MAIN_NAV = re.compile(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
async def test_the_menu_of_a_person_acting_for_a_client_names_each_place_once(app, client, db, lang):
    proxy = await world.make_user("proxy")
    await login(client, proxy)
    page = await client.get(f"/notifications?lang={lang}")
    assert page.status_code == 200
    links = LINK.findall(MAIN_NAV.search(page.text).group(1))
    hrefs = {href for href, _ in links}
    assert {"/budget", "/messages", "/notifications"} <= hrefs
    words = [text.strip() for _, text in links]
    assert len(words) == len(set(words)), f"{lang}: {words}"
