"""Generates the migration corpus: the DDL each migration of a real Django project runs,
per migration, on PostgreSQL and on MySQL/MariaDB (see README.md next to this file).

Each migration is applied for real, one at a time, to an empty database on a loopback
server, and every statement Django's schema editor executes is recorded: that is the SQL a
deployment runs, in order (`sqlmigrate` would introspect a database that the earlier
migrations never touched, and leave out the foreign keys it must drop). Data migrations
(RunPython) run too but record nothing: the corpus is the schema.

    python generate.py --engine postgresql --host 127.0.0.1 --port 55411 --user U \
        --password P --database corpus_gen --out wagtail-8.0.1/postgresql
    python generate.py --engine mysql ... --out wagtail-8.0.1/mysql
    python generate.py --project cms ... --out django-cms-5.1.3/postgresql   (and mysql)

Each migration with DDL becomes `NNN_<app>_<migration>.sql`: statements each ending in `;`
and a newline (the generator checks that no statement holds `;` before a newline itself).
"""

import argparse
import os
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--engine", choices=["postgresql", "mysql"], required=True)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", required=True)
parser.add_argument("--user", required=True)
parser.add_argument("--password", default=os.environ.get("CORPUS_PASSWORD", ""))
parser.add_argument("--database", required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--project", choices=["wagtail", "cms"], default="wagtail")
arguments = parser.parse_args()

# Per project: the Django apps installed, and the app labels whose migrations are recorded
# (with every migration they depend on, in the plan's order).
PROJECTS = {
    "wagtail": (
        ["django.contrib.contenttypes", "django.contrib.auth", "taggit", "wagtail"],
        ["contenttypes", "auth", "taggit", "wagtailcore"],
    ),
    "cms": (
        [
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sites",
            "django.contrib.admin",
            "treebeard",
            "sekizai",
            "menus",
            "cms",
        ],
        ["contenttypes", "auth", "sites", "cms", "menus"],
    ),
}
installed, apps = PROJECTS[arguments.project]

if arguments.engine == "mysql":
    import pymysql

    # Django's MySQL backend checks the mysqlclient version it expects.
    pymysql.version_info = (2, 2, 1, "final", 0)
    pymysql.install_as_MySQLdb()

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=installed,
    SITE_ID=1,
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": True,
            "OPTIONS": {
                "context_processors": [
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "sekizai.context_processors.sekizai",
                    "cms.context_processors.cms_settings",
                ]
            },
        }
    ],
    CMS_TEMPLATES=[("page.html", "Page")],
    LANGUAGE_CODE="en",
    LANGUAGES=[("en", "English")],
    CMS_CONFIRM_VERSION4=True,
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends." + arguments.engine,
            "HOST": arguments.host,
            "PORT": arguments.port,
            "USER": arguments.user,
            "PASSWORD": arguments.password,
            "NAME": arguments.database,
        }
    },
    USE_TZ=True,
    STATIC_URL="/static/",
    WAGTAIL_SITE_NAME="corpus",
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()

from django.db import connection  # noqa: E402
from django.db.backends.base.schema import BaseDatabaseSchemaEditor  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.db.migrations.recorder import MigrationRecorder  # noqa: E402

recorded = []
original_execute = BaseDatabaseSchemaEditor.execute


def execute(self, sql, params=()):
    text = str(sql)
    if params:
        text = text % tuple(map(self.quote_value, params))
    recorded.append(text.strip().rstrip(";"))
    return original_execute(self, sql, params)


BaseDatabaseSchemaEditor.execute = execute

MigrationRecorder(connection).ensure_schema()
recorded.clear()

executor = MigrationExecutor(connection)
targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] in apps]
plan = [migration for migration, backwards in executor.migration_plan(targets)]
os.makedirs(arguments.out, exist_ok=True)
number = 0
for migration in plan:
    recorded.clear()
    executor = MigrationExecutor(connection)
    executor.migrate([(migration.app_label, migration.name)])
    number += 1
    if not recorded:
        continue
    for statement in recorded:
        if ";\n" in statement:
            sys.exit(f"{migration.app_label}.{migration.name}: a statement holds ';' before a newline")
    path = os.path.join(arguments.out, f"{number:03d}_{migration.app_label}_{migration.name}.sql")
    with open(path, "w") as file:
        for statement in recorded:
            file.write(statement + ";\n")
print(f"{number} migrations, {len(os.listdir(arguments.out))} with DDL, in {arguments.out}")
