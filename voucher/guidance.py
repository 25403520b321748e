"""The public guidance pages: ``/guide/client`` (plain language, for clients and their close ones)
and ``/guide/provider``, in Finnish, Swedish and English (the language as every page chooses it:
``?lang=``, the cookie, the account, the browser). No sign-in; nothing of anyone's data is read.
Their texts are in ``voucher.guidance_messages``."""

from typing import Any

from litestar import Request, get

from core.settings import Settings
from core.web import page
from voucher.guidance_messages import GUIDES

PUBLIC = {"public": True}


def _sections(guide: str) -> list[dict]:
    return [{"name": name, "heading": f"guide.{guide}.{name}.h",
             "sentences": [f"guide.{guide}.{name}.{n}" for n in range(len(sentences))]}
            for name, _heading, sentences in GUIDES[guide]]


def _guide(request: Request, guide: str, settings: Settings) -> Any:
    return page(request, "voucher/guide.html", guide=guide, sections=_sections(guide),
                other="provider" if guide == "client" else "client", days=settings.dispute_window_days)


@get("/guide/client", include_in_schema=False, opt=PUBLIC)
async def client_guide(request: Request, settings: Settings) -> Any:
    return _guide(request, "client", settings)


@get("/guide/provider", include_in_schema=False, opt=PUBLIC)
async def provider_guide(request: Request, settings: Settings) -> Any:
    return _guide(request, "provider", settings)


route_handlers = [client_guide, provider_guide]
