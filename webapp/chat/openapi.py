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
                    "role": {"type": "string", "enum": ["victim", "accomplice"], "description": "who the scam type is about"},
                    "warning": {"type": "string", "description": "for the first match: the role note when there is one, else the type's summary"},
                    "summary": {"type": "string"},
                    "actions": {"type": "array", "maxItems": 3, "items": {"type": "string"}},
                    "steps": {"type": "array", "items": {"type": "string"}, "description": "how it works"},
                    "red_flags": {"type": "array", "items": {"type": "string"}},
                    "law": {
                        "type": "array",
                        "description": "verified references only, each in one plain sentence for this person",
                        "items": {
                            "type": "object",
                            "properties": {
                                "id": {"type": "string"},
                                "title": {"type": "string", "description": "what it is about, in plain words"},
                                "meaning": {"type": "string", "description": "what it means for this person"},
                                "whose": {"type": "string", "enum": ["protects", "scammer", "you"]},
                                "whose_label": {"type": "string"},
                                "source": {"type": "string", "description": "the law's name and article"},
                                "penalty": {"type": ["string", "null"], "description": "the meaning, when it is about a consequence"},
                                "url": {"type": "string"},
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
                    "lang": {"type": "string", "description": "the language of every text in the answer; the request's lang wins"},
                    "verdict": {
                        "type": "object",
                        "description": "one line in words, before anything else (after the emergency steps when urgent)",
                        "properties": {
                            "kind": {"type": "string", "enum": ["likely", "several", "unlikely", "caution", "unknown", "help", "small_talk"]},
                            "text": {"type": ["string", "null"]},
                        },
                    },
                    "actions": {"type": "array", "maxItems": 3, "items": {"type": "string"}, "description": "what this person should do now; [] when urgent (the emergency steps come instead)"},
                    "role_unclear": {"type": "boolean", "description": "the text does not say whether the person is the target or asked to help: role_note says both"},
                    "role_note": {"type": ["string", "null"]},
                    "channel": {"type": ["string", "null"], "enum": ["sms", "call", "chat", "message", None], "description": "how a message with links, numbers or requests reached the person"},
                    "signals": {
                        "type": "array",
                        "description": "what the message contains (links, phone numbers, amounts, account numbers, requests), each explained as a warning sign",
                        "items": {
                            "type": "object",
                            "properties": {
                                "kind": {"type": "string", "enum": ["link", "phone", "amount", "account", "request"]},
                                "signal": {"type": "string"},
                                "text": {"type": "string", "description": "as written (account numbers: the last four digits)"},
                                "explain": {"type": "string"},
                            },
                        },
                    },
                    "urgent": {"type": "boolean", "description": "money or codes already given, the scam going on now, or a threat now"},
                    "role": {"type": ["string", "null"], "enum": ["victim", "accomplice", None], "description": "the person's role, from their own situation; null with no match or when unclear"},
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
                    "notice": {"type": "string", "description": "the closing reminder: after a match, what to do if it is already too late (110, then 96110); when little matched, that no match does not mean safe"},
                },
            },
            "Error": {
                "type": "object",
                "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
            },
        }
    },
}
