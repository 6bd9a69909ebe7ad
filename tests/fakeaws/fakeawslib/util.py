"""Helpers shared by the service handlers: filters and pagination."""
import base64
import fnmatch

from .wire import AwsError


class Ctx:
    """What a handler knows about the request it is serving."""

    def __init__(self, world, service, account, region_name, caller):
        self.world = world
        self.service = service
        self.account = account
        self.region_name = region_name
        self.caller = caller
        self.region = world.region(account.id, region_name) if account else None

    def need_region(self):
        if self.region is None:
            # A region the account has nothing in still exists on AWS; give
            # it an empty world rather than an error.
            from .scenario import _build_region
            _build_region(self.world, self.account, self.region_name, {"groups": []})
            self.region = self.world.region(self.account.id, self.region_name)
        return self.region


def wild(pattern, value):
    return fnmatch.fnmatchcase(str(value), str(pattern))


def match_filters(filters, values_of, error_code="InvalidParameterValue"):
    """values_of(name) -> list of strings, or None when the filter name is
    unknown (AWS rejects unknown filter names instead of ignoring them)."""
    for f in filters or []:
        name = f.get("Name")
        vals = values_of(name)
        if vals is None:
            raise AwsError(error_code, f"The filter '{name}' is invalid")
        wanted = f.get("Values") or []
        if not any(wild(w, v) for w in wanted for v in vals):
            return False
    return True


def tag_values(tags, name):
    """Values for tag:K / tag-key / tag-value filters, None if not a tag filter."""
    if name.startswith("tag:"):
        k = name[4:]
        return [t["Value"] for t in tags if t["Key"] == k]
    if name == "tag-key":
        return [t["Key"] for t in tags]
    if name == "tag-value":
        return [t["Value"] for t in tags]
    return None


def encode_token(offset, salt):
    return base64.urlsafe_b64encode(f"{salt}:{offset}".encode()).decode()


def paginate(items, max_results, token, salt, error_code="InvalidParameterValue"):
    start = 0
    if token:
        try:
            s, off = base64.urlsafe_b64decode(token.encode()).decode().rsplit(":", 1)
            start = int(off)
            if s != salt:
                raise ValueError
        except (ValueError, UnicodeDecodeError):
            raise AwsError(error_code, "The specified NextToken is not valid.")
    if not max_results:
        return items[start:], None
    page = items[start:start + max_results]
    nxt = start + max_results
    return page, (encode_token(nxt, salt) if nxt < len(items) else None)


def check_range(value, lo, hi, param, code="InvalidParameterValue"):
    if value is not None and not (lo <= value <= hi):
        raise AwsError(code, f"Value ( {value} ) for parameter {param} is invalid. "
                             f"Expecting a value between {lo} and {hi}.")
