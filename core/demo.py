"""`hb demo`: load the deterministic demo data set (core.demo_data) through the importer, then
create one demo user per role. Running it again changes nothing."""

from core import identity
from core.demo_data import DEMO_USERS, build_demo_document
from core.identity import Actor
from core.tables import User


async def load(settings, progress=print) -> int:
    import core.messages  # noqa: F401
    import marketplace.messages  # noqa: F401
    from marketplace import importer

    doc = build_demo_document()
    if importer._voucher_importer() is None:
        doc.pop("clients", None)  # budgets and cards come with the voucher package
    progress(f"Demo data: {len(doc['organisers'])} organisers, {len(doc['categories'])} categories, "
             f"{len(doc['providers'])} providers, {len(doc['listings'])} listings, {len(doc.get('clients', []))} clients")
    progress("Importing (validate, then apply in one transaction)…")
    result = await importer.import_document(doc, actor=Actor(role="platform_admin", display_name="hb demo"), settings=settings)
    refs = result["refs"]
    s = result["summary"]
    progress(f"  {s['created']} created, {s['updated']} updated, {s['decisions']} approval decisions")
    client_organiser = {c["ref"]: c.get("organiser") for c in doc.get("clients", [])}
    created = 0
    for user in DEMO_USERS:
        scope = {}
        ref = user.get("scope_ref")
        if user["role"] in ("counsellor", "organiser_admin"):
            scope["organiser_id"] = refs.get(ref)
        elif user["role"] == "provider_staff":
            scope["provider_id"] = refs.get(ref)
        elif user["role"] == "client":
            scope["client_id"] = refs.get(ref)
            scope["organiser_id"] = refs.get(client_organiser.get(ref))
        elif user["role"] == "proxy":
            scope["organiser_id"] = refs.get(client_organiser.get(ref))
        exists = await User.select(User.id).where(User.email == user["email"]).first().run()
        if exists:
            continue
        user_id = await identity.create_user(email=user["email"], display_name=user["display_name"], role=user["role"],
                                             password=user["password"], **scope)
        created += 1
        if user["role"] == "proxy" and ref in refs:
            await _grant_proxy(refs[ref], user_id)
    progress(f"  {created} demo user(s) created ({len(DEMO_USERS) - created} already there)")
    progress("Demo data ready. Sign in with the demo users listed in README.md.")
    return 0


async def _grant_proxy(client_id: str, user_id: str) -> None:
    try:
        from voucher import proxies
    except ImportError:
        return
    await proxies.grant_for_demo(client_id, user_id)
