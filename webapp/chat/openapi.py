"""The OpenAPI 3.1 description of the public JSON API."""

_ERROR = {"$ref": "#/components/schemas/Error"}

OPENAPI = {
    "openapi": "3.1.0",
    "info": {
        "title": "Fangzha (反诈学堂) API",
        "version": "1",
        "description": "Match a description of what happened to a scam type, what to do now and the legal consequences.",
    },
    "paths": {
        "/api/v1/chat": {
            "post": {
                "summary": "Ask the chatbot",
                "description": "The message is never stored or logged as typed. Rate-limited per client.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChatRequest"}}},
                },
                "responses": {
                    "200": {"description": "The answer", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ChatAnswer"}}}},
                    "400": {"description": "Bad input: not_json, missing_message, invalid_type, invalid_lang, empty_message, too_long", "content": {"application/json": {"schema": _ERROR}}},
                    "429": {"description": "Too many requests", "content": {"application/json": {"schema": _ERROR}}},
                },
            }
        },
    },
    "components": {
        "schemas": {
            "ChatRequest": {
                "type": "object",
                "required": ["message"],
                "properties": {
                    "message": {"type": "string", "minLength": 1, "maxLength": 2000},
                    "lang": {"type": "string", "enum": ["zh-Hans", "zh-Hant", "en"]},
                },
            },
            "Match": {
                "type": "object",
                "required": ["slug", "title", "score", "why", "warning", "actions", "law", "url"],
                "properties": {
                    "slug": {"type": "string"},
                    "title": {"type": "string"},
                    "score": {"type": "number", "minimum": 0, "maximum": 1},
                    "why": {"type": "array", "items": {"type": "string"}, "description": "the user's own words that led to this match"},
                    "role": {"type": "string", "enum": ["victim", "accomplice"]},
                    "warning": {"type": "string"},
                    "actions": {"type": "array", "items": {"type": "string"}},
                    "red_flags": {"type": "array", "items": {"type": "string"}},
                    "law": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": {"type": "string"}, "title": {"type": "string"},
                                "penalty": {"type": ["string", "null"]}, "url": {"type": "string"},
                            },
                        },
                    },
                    "url": {"type": "string"},
                },
            },
            "ChatAnswer": {
                "type": "object",
                "required": ["urgent", "role", "matches", "notice"],
                "properties": {
                    "lang": {"type": "string"},
                    "urgent": {"type": "boolean", "description": "money or codes already given, the scam going on now, or a threat now"},
                    "role": {"type": ["string", "null"], "enum": ["victim", "accomplice", None]},
                    "matches": {"type": "array", "maxItems": 3, "items": {"$ref": "#/components/schemas/Match"}},
                    "emergency": {
                        "type": "object",
                        "description": "present when urgent",
                        "properties": {
                            "intro": {"type": "string"},
                            "steps": {"type": "array", "items": {"type": "string"}},
                            "hotlines": {"type": "array", "items": {"type": "object", "properties": {"number": {"type": "string"}, "role": {"type": "string"}}}},
                            "warning": {"type": "string"},
                        },
                    },
                    "fallback": {"type": "string", "description": "present when matches is empty"},
                    "reply": {"type": "string", "description": "a reply to a greeting, thanks or off-topic question"},
                    "notice": {"type": "string", "description": "no match does not mean safe; call 96110"},
                },
            },
            "Error": {
                "type": "object",
                "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
            },
        }
    },
}
