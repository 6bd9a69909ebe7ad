"""STS actions."""
from .wire import AwsError

HANDLERS = {}


def action(fn):
    HANDLERS[fn.__name__] = fn
    return fn


@action
def GetCallerIdentity(ctx, p):
    c = ctx.caller
    return {"UserId": c["user_id"], "Account": c["account"], "Arn": c["arn"]}


@action
def AssumeRole(ctx, p):
    world = ctx.world
    arn = p.get("RoleArn", "")
    session = p.get("RoleSessionName", "")
    parts = arn.split(":")
    role = None
    if len(parts) == 6 and parts[5].startswith("role/"):
        acct = world.accounts.get(parts[4])
        if acct:
            role = acct.roles.get(parts[5].split("/")[-1])
    denied = AwsError("AccessDenied",
                      f"User: {ctx.caller['arn']} is not authorized to perform: sts:AssumeRole "
                      f"on resource: {arn}", 403)
    if role is None:
        raise denied
    trust = role["trust"]
    if "*" not in trust and ctx.caller["account"] not in trust:
        raise denied
    if role.get("external_id") and p.get("ExternalId") != role["external_id"]:
        raise denied
    duration = int(p.get("DurationSeconds", 3600))
    if duration < 900 or duration > role["max_session_seconds"]:
        raise AwsError("ValidationError",
                       "The requested DurationSeconds exceeds the MaxSessionDuration set for "
                       "this role." if duration > 900 else
                       f"1 validation error detected: Value '{duration}' at 'durationSeconds' "
                       f"failed to satisfy constraint: Member must have value greater than or "
                       f"equal to 900")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    akid = "ASIA" + world.alnum(16, alphabet)
    secret = world.alnum(40, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/")
    token = "FwoGZXIvYXdzE" + world.alnum(120, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    expires = world.now() + duration
    assumed_arn = f"arn:aws:sts::{parts[4]}:assumed-role/{role['name']}/{session}"
    world.credentials[akid] = {"secret": secret, "account": parts[4], "token": token,
                               "expires": expires, "arn": assumed_arn,
                               "user_id": f"{role['id']}:{session}"}
    return {"Credentials": {"AccessKeyId": akid, "SecretAccessKey": secret,
                            "SessionToken": token, "Expiration": expires},
            "AssumedRoleUser": {"AssumedRoleId": f"{role['id']}:{session}", "Arn": assumed_arn},
            "PackedPolicySize": 0}
