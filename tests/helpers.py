"""Small helpers for tests that talk HTTP like a browser or an API client does (the accounts they
sign in with come from tests/world.py)."""

from urllib.parse import urlencode


async def csrf_token(client) -> str:
    if "hb_csrf" not in client.cookies:
        await client.get("/login")
    return client.cookies["hb_csrf"]


async def form_post(client, url: str, data: dict | list | None = None, **kwargs):
    """POST a form the way a browser does, with the CSRF token from the cookie."""
    token = await csrf_token(client)
    items = list(data.items()) if isinstance(data, dict) else list(data or [])
    flat = []
    for key, value in items:
        if isinstance(value, (list, tuple)):
            flat.extend((key, v) for v in value)
        else:
            flat.append((key, value))
    flat.append(("_csrf_token", token))
    headers = {"content-type": "application/x-www-form-urlencoded", **kwargs.pop("headers", {})}
    return await client.post(url, content=urlencode(flat), headers=headers, **kwargs)


async def login(client, user: dict) -> None:
    response = await form_post(client, "/login", {"email": user["email"], "password": user["password"], "next": "/"})
    assert response.status_code in (302, 303), response.text
    assert "hb_session" in client.cookies


async def logout(client) -> None:
    await form_post(client, "/logout", {})
