"""The OpenAPI 3 description of the JSON API (served at /api/v1/openapi.json; tests check it against answers)."""

from directory.models import ChannelType, Kind, ServiceSlug
from reporting.situations import SITUATIONS


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


STRING = {"type": "string"}
ERROR = {
    "description": "An error, explained",
    "content": {
        "application/json": {
            "schema": {"type": "object", "required": ["error"], "properties": {"error": STRING}},
        }
    },
}
LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of the texts (one of the site's languages, e.g. de). Default: English.",
    "schema": {"type": "string", "maxLength": 10},
}
PLATFORM = {
    "type": "object",
    "nullable": True,
    "description": "Where it happened, when `platform` was given (sextortion, grooming, my-images, csam-found): the "
    "platform's own official page on reporting an account or a message, its child-safety form where it has one, "
    "and whether it takes part in Take It Down (null: not confirmed). Listed after the steps: it never replaces "
    "the hotline or the police.",
    "required": ["key", "name", "report_url", "child_safety_url", "take_it_down"],
    "properties": {
        "key": STRING,
        "name": STRING,
        "report_url": {"type": "string", "format": "uri"},
        "child_safety_url": {"type": "string", "nullable": True},
        "take_it_down": {"type": "boolean", "nullable": True},
    },
}
COUNTRY = {
    "name": "country",
    "in": "query",
    "required": True,
    "description": "ISO 3166-1 alpha-2 country code, e.g. DE (any case).",
    "schema": {"type": "string", "maxLength": 100},
}


OPEN_NOW = {
    "type": "object",
    "nullable": True,
    "description": "Open now, in the organisation's local time: always (24/7), open (until), closed (opens_at "
    "within a week, else null) or unknown (no structured hours).",
    "required": ["state", "until", "opens_at"],
    "properties": {
        "state": {"type": "string", "enum": ["always", "open", "closed", "unknown"]},
        "until": {"type": "string", "format": "date-time", "nullable": True},
        "opens_at": {"type": "string", "format": "date-time", "nullable": True},
    },
}


def openapi_document() -> dict:
    step = {
        "type": "object",
        "required": ["service", "title", "guidance", "do", "dont"],
        "properties": {
            "service": {"type": "string", "enum": ServiceSlug.values},
            "title": STRING,
            "guidance": STRING,
            "do": {"type": "array", "items": STRING},
            "dont": {"type": "array", "items": STRING},
        },
    }
    emergency = {
        "type": "object",
        "required": ["general", "police", "ambulance", "fire"],
        "properties": {
            **{name: _nullable(STRING) for name in ("general", "police", "ambulance", "fire")},
            "other": {
                "type": "array",
                "items": STRING,
                "description": "Other emergency numbers the sources list, without saying which service answers.",
            },
        },
    }
    country = {"type": "object", "required": ["code", "name"], "properties": {"code": STRING, "name": STRING}}
    channel = {
        "type": "object",
        "required": ["type", "value", "label", "href"],
        "properties": {
            "type": {"type": "string", "enum": ChannelType.values},
            "value": STRING,
            "label": {
                "type": "string",
                "description": "A few public words such as “for parents”, in `lang` where it is one of Signpost's own.",
            },
            "href": {
                "type": "string",
                "description": "A link to use: tel:, sms:, mailto: or https: (WhatsApp opens https://wa.me/…, "
                "Telegram https://t.me/…; neither is ever a tel: link).",
            },
            "hours": STRING,
            "free": _nullable({"type": "boolean"}),
            "open_now": OPEN_NOW,
        },
    }
    organisation = {
        "type": "object",
        "required": [
            "id",
            "name",
            "kind",
            "networks",
            "scope",
            "website",
            "channels",
            "languages",
            "free",
            "anonymous",
            "hours",
            "last_checked",
            "source_url",
        ],  # fmt: skip
        "properties": {
            "id": {"type": "integer"},
            "key": STRING,
            "name": STRING,
            "name_en": STRING,
            "kind": {"type": "string", "enum": Kind.values},
            "networks": {"type": "array", "items": STRING},
            "services": {"type": "array", "items": {"type": "string", "enum": ServiceSlug.values}},
            "scope": {"type": "string", "enum": ["national", "worldwide"]},
            "website": _nullable(STRING),
            "channels": {"type": "array", "items": channel},
            "languages": {"type": "array", "items": STRING},
            "free": _nullable({"type": "boolean"}),
            "anonymous": _nullable({"type": "boolean"}),
            "hours": STRING,
            "description": STRING,
            "last_checked": _nullable({"type": "string", "format": "date"}),
            "source_url": _nullable(STRING),
            "source_urls": {"type": "array", "items": STRING},
            "time_zone": {"type": "string", "description": "The zone its opening hours are kept in."},
        },
    }
    routed_step = {
        "allOf": [
            step,
            {
                "type": "object",
                "required": ["fallback", "use_emergency_number", "organisations"],
                "properties": {
                    "fallback": {
                        "type": "boolean",
                        "description": "True when the country has no national service and these are worldwide.",
                    },
                    "use_emergency_number": {
                        "type": "boolean",
                        "description": "True when the step is answered by the emergency (or police) number.",
                    },
                    "organisations": {"type": "array", "items": organisation},
                    "open_alternative": {
                        "type": "object",
                        "nullable": True,
                        "description": "When the first service's phone, SMS and chat are all closed now: one open now.",
                        "properties": {
                            "organisation_id": {"type": "integer", "nullable": True},
                            "name": STRING,
                            "type": {"type": "string", "enum": ChannelType.values},
                            "value": STRING,
                            "href": STRING,
                            "open_now": OPEN_NOW,
                        },
                    },
                },
            },
        ]
    }

    def ok(schema: dict, description: str) -> dict:
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Signpost API",
            "version": "1",
            "description": (
                "Read-only: where to report online child sexual abuse or get help, per country and situation. "
                "No authentication; CORS is open for GET."
            ),
        },
        "paths": {
            "/api/v1/situations/": {
                "get": {
                    "summary": "The situations and their steps",
                    "parameters": [LANG],
                    "responses": {
                        "200": ok(
                            {
                                "type": "object",
                                "required": ["situations"],
                                "properties": {
                                    "situations": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["slug", "title", "steps"],
                                            "properties": {
                                                "slug": {"type": "string", "enum": list(SITUATIONS)},
                                                "title": STRING,
                                                "reassurance": STRING,
                                                "steps": {"type": "array", "items": step},
                                            },
                                        },
                                    }
                                },
                            },
                            "All situations",
                        ),
                        "400": ERROR,
                    },
                }
            },
            "/api/v1/countries/": {
                "get": {
                    "summary": "Every ISO 3166 country with its emergency numbers",
                    "parameters": [LANG],
                    "responses": {
                        "200": ok(
                            {
                                "type": "object",
                                "required": ["countries"],
                                "properties": {
                                    "countries": {
                                        "type": "array",
                                        "items": {
                                            "allOf": [
                                                country,
                                                {
                                                    "type": "object",
                                                    "required": ["emergency"],
                                                    "properties": {"emergency": emergency},
                                                },
                                            ]
                                        },
                                    }
                                },
                            },
                            "All countries",
                        ),
                        "400": ERROR,
                    },
                }
            },
            "/api/v1/route/": {
                "get": {
                    "summary": "Where a person in a country, in a situation, should go, step by step",
                    "parameters": [
                        COUNTRY,
                        {
                            "name": "situation",
                            "in": "query",
                            "required": True,
                            "description": "A situation slug from /api/v1/situations/.",
                            "schema": {"type": "string", "maxLength": 100},
                        },
                        {
                            "name": "platform",
                            "in": "query",
                            "required": False,
                            "description": "Where it happened: a key from /api/v1/platforms/, e.g. instagram. "
                            "Adds the platform's own report route to the answers where it matters.",
                            "schema": {"type": "string", "maxLength": 100},
                        },
                        LANG,
                    ],
                    "responses": {
                        "200": ok(
                            {
                                "type": "object",
                                "required": ["country", "situation", "emergency", "steps", "platform"],
                                "properties": {
                                    "country": country,
                                    "situation": {
                                        "type": "object",
                                        "required": ["slug", "title"],
                                        "properties": {"slug": STRING, "title": STRING},
                                    },
                                    "emergency": emergency,
                                    "steps": {"type": "array", "items": routed_step},
                                    "platform": PLATFORM,
                                },
                            },
                            "The route",
                        ),
                        "400": ERROR,
                        "404": ERROR,
                    },
                }
            },
            "/api/v1/platforms/": {
                "get": {
                    "summary": "The platforms whose own report routes Signpost knows (for `platform` on a route)",
                    "parameters": [LANG],
                    "responses": {
                        "200": ok(
                            {
                                "type": "object",
                                "required": ["platforms"],
                                "properties": {
                                    "platforms": {"type": "array", "items": {**PLATFORM, "nullable": False}}
                                },
                            },
                            "All published platforms",
                        ),
                        "400": ERROR,
                    },
                }
            },
            "/api/v1/organisations/": {
                "get": {
                    "summary": "Published organisations serving a country (national ones), 50 a page",
                    "parameters": [
                        COUNTRY,
                        {
                            "name": "page",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "maxLength": 100},
                        },
                        LANG,
                    ],
                    "responses": {
                        "200": ok(
                            {
                                "type": "object",
                                "required": ["country", "count", "page", "pages", "next", "previous", "organisations"],
                                "properties": {
                                    "country": country,
                                    "count": {"type": "integer"},
                                    "page": {"type": "integer"},
                                    "pages": {"type": "integer"},
                                    "next": _nullable(STRING),
                                    "previous": _nullable(STRING),
                                    "organisations": {"type": "array", "items": organisation},
                                },
                            },
                            "A page of organisations",
                        ),
                        "400": ERROR,
                        "404": ERROR,
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This description",
                    "responses": {"200": ok({"type": "object"}, "OpenAPI 3 document")},
                }
            },
        },
    }
