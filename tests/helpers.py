"""Small helpers for tests that talk HTTP like a browser or an API client does."""

from core import identity


async def make_user(role: str, email: str | None = None, password: str = "correct horse battery", **scope) -> dict:
    email = email or f"{role}-{id(scope) % 100000}@test.example"
    user_id = await identity.create_user(email=email, display_name=f"Test {role}", role=role, password=password, **scope)
    return {"id": user_id, "email": email, "password": password, "role": role, **scope}


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
    from urllib.parse import urlencode

    headers = {"content-type": "application/x-www-form-urlencoded", **kwargs.pop("headers", {})}
    return await client.post(url, content=urlencode(flat), headers=headers, **kwargs)


async def login(client, user: dict) -> None:
    response = await form_post(client, "/login", {"email": user["email"], "password": user["password"], "next": "/"})
    assert response.status_code in (302, 303), response.text
    assert "hb_session" in client.cookies


async def logout(client) -> None:
    await form_post(client, "/logout", {})
