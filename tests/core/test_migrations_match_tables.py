"""Each app's migrations describe exactly its table classes: `piccolo migrations new APP --auto`
would write nothing. (A table that moves between apps, like the listing-change outbox from search
to the marketplace, is recorded in both apps' histories by migrations that leave the database as
it is.)"""

import pytest
from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.conf.apps import Finder

APPS = sorted(Finder().get_app_registry().app_configs)


@pytest.mark.parametrize("app_name", APPS)
async def test_the_migrations_of_each_app_match_its_tables(app_name):
    app_config = Finder().get_app_registry().app_configs[app_name]
    alterations = await AutoMigrationManager(auto_input="n").get_alter_statements(app_config=app_config)
    assert [s for a in alterations for s in a.statements] == []
