"""Everything the voucher mounts on the app: its API, pages, Stripe webhook and background work."""

import voucher.assessment.messages  # noqa: F401 - registers the assessments' texts
import voucher.consent_messages  # noqa: F401 - registers the card consent's texts
import voucher.dispute_messages  # noqa: F401 - registers the payments' and disputes' texts
import voucher.evaluation.messages  # noqa: F401 - registers the questionnaires' and research consent's texts
import voucher.guidance_messages  # noqa: F401 - registers the guidance pages' texts
import voucher.invitation_messages  # noqa: F401 - registers the invitations' texts
import voucher.messages  # noqa: F401 - registers the voucher's texts
import voucher.own_share_messages  # noqa: F401 - registers own share's texts
import voucher.plan_messages  # noqa: F401 - registers the plan's texts
import voucher.support.texts  # noqa: F401 - registers supported purchasing's and the messages' texts
from voucher import (background, card_rules_page, consent_routes, controllers, guidance, hb_classes_page,
                     invitation_routes, own_share_routes, pages, plan_controllers, plan_pages)
from voucher.assessment import controllers as assessment_controllers
from voucher.assessment import pages as assessment_pages
from voucher.disputes import controllers as dispute_controllers
from voucher.disputes import pages as dispute_pages
from voucher.evaluation import time_pages as evaluation_time_pages
from voucher.evaluation import pages as evaluation_pages
from voucher.support import pages as support_pages

route_handlers = [*controllers.route_handlers, *pages.route_handlers, *invitation_routes.route_handlers,
                  *dispute_controllers.route_handlers, *dispute_pages.route_handlers, *card_rules_page.route_handlers,
                  *consent_routes.route_handlers, *assessment_controllers.route_handlers,
                  *assessment_pages.route_handlers, *guidance.route_handlers, *hb_classes_page.route_handlers,
                  *plan_controllers.route_handlers, *plan_pages.route_handlers, *support_pages.route_handlers,
                  *own_share_routes.route_handlers, *evaluation_pages.route_handlers,
                  *evaluation_time_pages.route_handlers]
workers = [background.expiry_sweeper, background.plan_reminders, background.questionnaire_reminders]
