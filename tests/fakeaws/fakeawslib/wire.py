"""Wire formats driven by the botocore service models.

Parsing and serializing from the same models botocore uses means a shape the
fake gets wrong shows up as a parse failure in the SDK tests, instead of as a
hand-written format that silently drifts from what AWS sends.
"""
import base64
import datetime
import json
import re
import threading
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

import botocore.session

_session = botocore.session.get_session()
_models = {}
# botocore's session is not thread-safe while it loads its first model: two requests arriving
# together on a fresh server could both load, and one failed with KeyError 'data_loader'.
_models_lock = threading.Lock()

SERVICES = ("ec2", "autoscaling", "sts", "pricing")


def model(service):
    m = _models.get(service)
    if m is None:
        with _models_lock:
            m = _models.get(service)
            if m is None:
                m = _models[service] = _session.get_service_model(service)
    return m


class AwsError(Exception):
    """An error answered to the client in the service's own error shape."""

    def __init__(self, code, message, status=400):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def iso(ts):
    if isinstance(ts, (int, float)):
        ts = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc)
    return ts.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# ---------------------------------------------------------------- Query input

def parse_form(body, query=""):
    params = {}
    for part in (query, body):
        for k, v in parse_qsl(part, keep_blank_values=True):
            params[k] = v
    return params


def _query_name(shape, default, ec2):
    ser = shape.serialization
    if ec2:
        if "queryName" in ser:
            return ser["queryName"]
        if "name" in ser:
            return ser["name"][0].upper() + ser["name"][1:]
        return default
    return ser.get("name", default)


class _Keys:
    """Index of the form keys so presence tests of a prefix are cheap."""

    def __init__(self, params):
        self.params = params
        self.used = set()
        self.prefixes = set()
        for k in params:
            parts = k.split(".")
            for i in range(1, len(parts)):
                self.prefixes.add(".".join(parts[:i]))

    def has(self, key):
        return key in self.params or key in self.prefixes


def parse_query_input(shape, params, ec2):
    """Form parameters -> dict of botocore member names.

    Like AWS, EC2 refuses parameters its model does not know (a misspelt
    name must fail here as it fails there), and every service refuses a
    missing required member."""
    keys = _Keys(params)
    out = _parse(shape, keys, "", ec2) if shape is not None else {}
    if ec2:
        for k in params:
            if k not in keys.used and k not in ("Action", "Version") and \
                    not k.startswith("X-Amz-"):
                raise AwsError("UnknownParameter", f"The parameter {k.split('.')[0]} is not "
                                                   f"recognized")
    if shape is not None:
        _required(shape, out, "", ec2)
    return out


def _required(shape, value, path, ec2):
    if shape.type_name == "structure" and isinstance(value, dict):
        for name in shape.required_members:
            if name not in value:
                if ec2:
                    raise AwsError("MissingParameter",
                                   f"The request must contain the parameter {name}")
                where = (path + "." if path else "") + name[0].lower() + name[1:]
                raise AwsError("ValidationError",
                               f"1 validation error detected: Value null at '{where}' failed "
                               f"to satisfy constraint: Member must not be null")
        for name, member in shape.members.items():
            if name in value:
                _required(member, value[name], (path + "." if path else "") +
                          name[0].lower() + name[1:], ec2)
    elif shape.type_name == "list" and isinstance(value, list):
        for i, v in enumerate(value, 1):
            _required(shape.member, v, f"{path}.{i}", ec2)
    if not ec2:
        _constraints(shape, value, path)


def _constraints(shape, value, path):
    """The Query services check the model's min/max/pattern/enum server-side
    and answer ValidationError; EC2 models carry almost none, so EC2 is left
    to the handlers."""
    md = shape.metadata
    t = shape.type_name

    def fail(what):
        raise AwsError("ValidationError", f"1 validation error detected: Value '{value}' at "
                                          f"'{path}' failed to satisfy constraint: Member {what}")
    if t in ("string", "list", "blob") and isinstance(value, (str, list, bytes)):
        if "min" in md and len(value) < md["min"]:
            fail(f"must have length greater than or equal to {md['min']}")
        if "max" in md and len(value) > md["max"]:
            fail(f"must have length less than or equal to {md['max']}")
    if t in ("integer", "long") and isinstance(value, int):
        if "min" in md and value < md["min"]:
            fail(f"must have value greater than or equal to {md['min']}")
        if "max" in md and value > md["max"]:
            fail(f"must have value less than or equal to {md['max']}")
    if t == "string" and isinstance(value, str):
        if shape.enum and value not in shape.enum:
            fail(f"must satisfy enum value set: [{', '.join(shape.enum)}]")
        rx = _pattern(md.get("pattern"))
        if rx is not None and not rx.fullmatch(value):
            fail(f"must satisfy regular expression pattern: {md['pattern']}")


_patterns = {}


def _pattern(pat):
    if not pat:
        return None
    if pat not in _patterns:
        try:
            _patterns[pat] = re.compile(pat)
        except re.error:
            # Java-style patterns with surrogate ranges do not compile in
            # Python; skipping them only makes the fake more lenient.
            _patterns[pat] = None
    return _patterns[pat]


def _parse(shape, keys, prefix, ec2):
    t = shape.type_name
    if t == "structure":
        out = {}
        for name, member in shape.members.items():
            key = _query_name(member, name, ec2)
            full = f"{prefix}.{key}" if prefix else key
            if keys.has(full):
                out[name] = _parse(member, keys, full, ec2)
        return out
    if t == "list":
        if ec2 or shape.serialization.get("flattened"):
            base = prefix
        else:
            base = prefix + "." + shape.member.serialization.get("name", "member")
        items, i = [], 1
        if prefix in keys.params:
            keys.used.add(prefix)
        while keys.has(f"{base}.{i}"):
            items.append(_parse(shape.member, keys, f"{base}.{i}", ec2))
            i += 1
        return items
    if t == "map":
        base = prefix if shape.serialization.get("flattened") else prefix + ".entry"
        kname = _query_name(shape.key, "key", ec2)
        vname = _query_name(shape.value, "value", ec2)
        out, i = {}, 1
        while keys.has(f"{base}.{i}"):
            keys.used.add(f"{base}.{i}.{kname}")
            out[keys.params.get(f"{base}.{i}.{kname}", "")] = _parse(
                shape.value, keys, f"{base}.{i}.{vname}", ec2)
            i += 1
        return out
    raw = keys.params.get(prefix, "")
    keys.used.add(prefix)
    try:
        if t in ("integer", "long"):
            return int(raw)
        if t in ("float", "double"):
            return float(raw)
        if t == "boolean":
            return raw.lower() == "true"
        if t == "timestamp":
            return parse_time(raw)
        if t == "blob":
            return base64.b64decode(raw)
    except ValueError:
        raise AwsError("InvalidParameterValue" if ec2 else "ValidationError",
                       f"Value ({raw}) for parameter {prefix} is invalid.")
    return raw


def parse_time(raw):
    if isinstance(raw, (int, float)):
        return datetime.datetime.fromtimestamp(raw, datetime.timezone.utc)
    s = raw.strip().replace("Z", "+00:00")
    try:
        t = datetime.datetime.fromisoformat(s)
    except ValueError:
        return datetime.datetime.fromtimestamp(float(s), datetime.timezone.utc)
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    return t


# --------------------------------------------------------------- XML output

def _scalar_text(shape, value):
    t = shape.type_name
    if t == "boolean":
        return "true" if value else "false"
    if t == "timestamp":
        return iso(value)
    if t == "blob":
        return base64.b64encode(value).decode()
    return escape(str(value))


def _xml(shape, value, tag, out):
    t = shape.type_name
    if t == "structure":
        out.append(f"<{tag}>")
        _xml_members(shape, value, out)
        out.append(f"</{tag}>")
    elif t == "list":
        item = shape.member.serialization.get("name", "member")
        if shape.serialization.get("flattened"):
            for v in value:
                _xml(shape.member, v, shape.member.serialization.get("name", tag), out)
            return
        out.append(f"<{tag}>")
        for v in value:
            _xml(shape.member, v, item, out)
        out.append(f"</{tag}>")
    elif t == "map":
        kn = shape.key.serialization.get("name", "key")
        vn = shape.value.serialization.get("name", "value")
        out.append(f"<{tag}>")
        for k, v in value.items():
            out.append("<entry>")
            _xml(shape.key, k, kn, out)
            _xml(shape.value, v, vn, out)
            out.append("</entry>")
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}>{_scalar_text(shape, value)}</{tag}>")


def _xml_members(shape, value, out):
    for name, member in shape.members.items():
        if name not in value or value[name] is None:
            continue
        tag = member.serialization.get("name", name)
        _xml(member, value[name], tag, out)


def xml_response(service, op_name, result, request_id):
    sm = model(service)
    op = sm.operation_model(op_name)
    shape = op.output_shape
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    if sm.protocol == "ec2":
        ns = "http://ec2.amazonaws.com/doc/2016-11-15/"
        out.append(f'<{op_name}Response xmlns="{ns}"><requestId>{request_id}</requestId>')
        if shape is not None:
            _xml_members(shape, result or {}, out)
        out.append(f"</{op_name}Response>")
    else:
        ns = sm.metadata["xmlNamespace"]
        out.append(f'<{op_name}Response xmlns="{ns}">')
        if shape is not None:
            wrapper = shape.serialization.get("resultWrapper", f"{op_name}Result")
            out.append(f"<{wrapper}>")
            _xml_members(shape, result or {}, out)
            out.append(f"</{wrapper}>")
        out.append(f"<ResponseMetadata><RequestId>{request_id}</RequestId>"
                   f"</ResponseMetadata></{op_name}Response>")
    return "".join(out).encode()


def xml_error(service, err, request_id):
    sm = model(service)
    code, msg = escape(err.code), escape(err.message)
    if sm.protocol == "ec2":
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>'
                f"<Code>{code}</Code><Message>{msg}</Message></Error></Errors>"
                f"<RequestID>{request_id}</RequestID></Response>")
    else:
        kind = "Receiver" if err.status >= 500 else "Sender"
        body = (f'<ErrorResponse xmlns="{sm.metadata["xmlNamespace"]}"><Error>'
                f"<Type>{kind}</Type><Code>{code}</Code><Message>{msg}</Message>"
                f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>")
    return body.encode()


# -------------------------------------------------------------- JSON 1.1

def _json_value(shape, value):
    t = shape.type_name
    if t == "structure":
        return {n: _json_value(m, value[n]) for n, m in shape.members.items()
                if value.get(n) is not None}
    if t == "list":
        return [_json_value(shape.member, v) for v in value]
    if t == "map":
        return {k: _json_value(shape.value, v) for k, v in value.items()}
    if t == "timestamp":
        return value.timestamp() if isinstance(value, datetime.datetime) else value
    if t == "blob":
        return base64.b64encode(value).decode()
    return value


def json_response(service, op_name, result):
    shape = model(service).operation_model(op_name).output_shape
    doc = _json_value(shape, result or {}) if shape is not None else {}
    return json.dumps(doc).encode()


def json_error(err):
    return json.dumps({"__type": err.code, "message": err.message}).encode()
