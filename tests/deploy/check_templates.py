#!/usr/bin/python3
"""Keeps the CloudFormation templates in step with the engine's option list.

Checks, in both directions, that every option of engine/sps_engine_config_list.h is a parameter
of deploy/cloudformation/spotswap.yaml (named after the key in PascalCase, with the engine's
default) that reaches the function as its SPOTSWAP_* variable, that nothing else does, that
every parameter is used and documented in docs/install.md, that the member-account role has the
same mutating statements as the function's role, and that regional.yaml forwards the events the
main rule expects. With --binary, the engine itself must accept every template default.
With --self-test, each check is shown to fail on a template broken in the way it guards against.
"""
import copy
import os
import re
import subprocess
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CFN = os.path.join(ROOT, "deploy", "cloudformation")
OPTION_RE = re.compile(
    r'^SPS_OPTION\((\w+),\s*"(SPOTSWAP_\w+)",\s*"(--[\w-]+)",\s*(\w+),\s*(-?\d+),\s*(-?\d+),'
    r'\s*"([^"]*)",\s*"(.*)"\)\s*$')
# Parameters of the deployment itself, not engine options.
DEPLOY_PARAMS = {
    "CodeS3Bucket", "CodeS3Key", "Architecture", "MemorySize", "Timeout", "ScheduleExpression",
    "LogRetentionDays", "FunctionRoleName", "IamTagConditions", "IamGroupTagValue",
    "PassRoleArns", "KmsKeyArns", "MemberRoleName", "OrganizationId",
}
INTERRUPTION = "EC2 Spot Instance Interruption Warning"


class CfnLoader(yaml.SafeLoader):
    """YAML loader that turns CloudFormation short forms (!Ref, !Sub, ...) into long forms."""


def _cfn_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    if suffix == "Condition":
        return {"Condition": value}
    return {"Fn::" + suffix: value}


CfnLoader.add_multi_constructor("!", _cfn_tag)


def load_template(name):
    with open(os.path.join(CFN, name), encoding="utf-8") as f:
        return yaml.load(f, Loader=CfnLoader)  # noqa: S506 (a SafeLoader subclass)


def read_options(path):
    """The engine's options: key, env, default."""
    options = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("SPS_OPTION("):
                m = OPTION_RE.match(line)
                if not m:
                    raise SystemExit("cannot parse option line: " + line.strip())
                options.append({"key": m.group(1), "env": m.group(2), "default": m.group(7)})
    if not options:
        raise SystemExit("no SPS_OPTION lines in " + path)
    return options


def param_name(key):
    return "".join(part.capitalize() for part in key.split("_"))


def _refs(node, found):
    """Every parameter name the template uses, through Ref or ${Name} in Sub."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "Ref" and isinstance(v, str):
                found.add(v)
            elif k == "Fn::Sub":
                text = v if isinstance(v, str) else v[0]
                found.update(n.split(".")[0] for n in re.findall(r"\$\{([^}!]+)\}", text))
                if not isinstance(v, str):
                    _refs(v[1], found)
            else:
                _refs(v, found)
    elif isinstance(node, list):
        for v in node:
            _refs(v, found)
    return found


def _function(template):
    for res in template.get("Resources", {}).values():
        if res.get("Type") == "AWS::Lambda::Function":
            return res
    return None


def check_main(template, options, install_doc):
    errors = []
    params = template.get("Parameters", {})
    function = _function(template)
    if function is None:
        return ["no AWS::Lambda::Function in the template"]
    props = function.get("Properties", {})
    if props.get("Runtime") != "provided.al2023":
        errors.append("function runtime is %r, not provided.al2023" % props.get("Runtime"))
    env = props.get("Environment", {}).get("Variables", {})
    option_params = set()
    for opt in options:
        name = param_name(opt["key"])
        option_params.add(name)
        if name not in params:
            errors.append("option %s has no parameter %s" % (opt["key"], name))
            continue
        default = params[name].get("Default")
        if default is not None and not isinstance(default, str):
            default = str(default)
        if default != opt["default"]:
            errors.append("parameter %s defaults to %r, the engine to %r"
                          % (name, default, opt["default"]))
        if env.get(opt["env"]) != {"Ref": name}:
            errors.append("%s is not passed to the function as %s (found %r)"
                          % (name, opt["env"], env.get(opt["env"])))
        if "`%s`" % name not in install_doc:
            errors.append("parameter %s is not documented in docs/install.md" % name)
    envs = {opt["env"] for opt in options}
    for var in env:
        if var.startswith("SPOTSWAP_") and var not in envs:
            errors.append("function variable %s is no engine option" % var)
    used = _refs({k: v for k, v in template.items() if k != "Parameters"}, set())
    for name in params:
        if name not in option_params and name not in DEPLOY_PARAMS:
            errors.append("parameter %s is neither an engine option nor a deployment parameter"
                          % name)
        if name not in used:
            errors.append("parameter %s is never used" % name)
    groups = template.get("Metadata", {}).get("AWS::CloudFormation::Interface", {})
    grouped = {p for g in groups.get("ParameterGroups", []) for p in g.get("Parameters", [])}
    for name in params:
        if name not in grouped:
            errors.append("parameter %s is in no console parameter group" % name)
    return errors


def _statements(template, role_type="AWS::IAM::Role"):
    out = {}
    for res in template.get("Resources", {}).values():
        if res.get("Type") != role_type:
            continue
        for policy in res["Properties"].get("Policies", []):
            for st in policy["PolicyDocument"]["Statement"]:
                if isinstance(st, dict) and "Sid" in st:
                    out[st["Sid"]] = st
    return out


def _event_pattern(template, detail_type):
    for res in template.get("Resources", {}).values():
        if res.get("Type") == "AWS::Events::Rule":
            pattern = res["Properties"].get("EventPattern", {})
            if detail_type in pattern.get("detail-type", []):
                return pattern
    return None


def check_member(main, member):
    errors = []
    ours, theirs = _statements(main), _statements(member)
    shared = [sid for sid in ours if sid not in ("WriteOwnLogs", "AssumeMemberRoles",
                                                 "EncryptedVolumes")]
    for sid in shared:
        if sid not in theirs:
            errors.append("member role lacks statement %s" % sid)
        elif theirs[sid] != ours[sid]:
            errors.append("member statement %s differs from the main template's" % sid)
    for sid in theirs:
        if sid not in ours and sid != "EncryptedVolumes":
            errors.append("member statement %s is not in the main template" % sid)
    trusts = [res["Properties"]["AssumeRolePolicyDocument"]
              for res in member.get("Resources", {}).values()
              if res.get("Type") == "AWS::IAM::Role"]
    if not trusts:
        return errors + ["member template creates no role"]
    for st in trusts[0]["Statement"]:
        cond = st.get("Condition", {}).get("StringEquals", {})
        if "sts:ExternalId" not in cond:
            errors.append("member role trust has no sts:ExternalId condition")
    return errors


def check_regional(main, regional):
    errors = []
    want = _event_pattern(main, INTERRUPTION)
    got = _event_pattern(regional, INTERRUPTION)
    if want is None:
        errors.append("main template has no rule for %s" % INTERRUPTION)
    if got is None:
        errors.append("regional template forwards no %s" % INTERRUPTION)
    if want and got and (got.get("source") != want.get("source")
                         or sorted(got["detail-type"]) != sorted(want["detail-type"])):
        errors.append("regional rule forwards %r, the main rule expects %r" % (got, want))
    return errors


def check_binary(binary, main, options):
    """The engine accepts every template default (as Lambda would pass them)."""
    params = main["Parameters"]
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"}
    for opt in options:
        env[opt["env"]] = str(params[param_name(opt["key"])]["Default"])
    env["SPOTSWAP_LOG_LEVEL"] = "off"
    proc = subprocess.run([binary, "run", "--report-only"], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    if "no region" not in proc.stderr:
        return ["the engine refused the template defaults: " + proc.stderr.strip()]
    return []


def self_test(main, member, regional, options, install_doc, binary=None):
    """Each check must fail on the breakage it exists for."""
    cases = []
    broken = copy.deepcopy(main)
    del broken["Parameters"]["MinOnDemandNumber"]
    cases.append(("parameter removed", check_main(broken, options, install_doc),
                  "has no parameter MinOnDemandNumber"))
    broken = copy.deepcopy(main)
    del _function(broken)["Properties"]["Environment"]["Variables"]["SPOTSWAP_CONCURRENCY"]
    cases.append(("variable removed", check_main(broken, options, install_doc),
                  "not passed to the function as SPOTSWAP_CONCURRENCY"))
    broken = copy.deepcopy(main)
    _function(broken)["Properties"]["Environment"]["Variables"]["SPOTSWAP_CONCURRENCY"] = \
        {"Ref": "Regions"}
    cases.append(("variable from the wrong parameter", check_main(broken, options, install_doc),
                  "not passed to the function as SPOTSWAP_CONCURRENCY"))
    broken = copy.deepcopy(main)
    broken["Parameters"]["OrphanGracePeriods"]["Default"] = 4
    cases.append(("default differs", check_main(broken, options, install_doc),
                  "OrphanGracePeriods defaults to '4'"))
    broken = copy.deepcopy(main)
    _function(broken)["Properties"]["Environment"]["Variables"]["SPOTSWAP_BOGUS"] = "x"
    cases.append(("stray variable", check_main(broken, options, install_doc),
                  "SPOTSWAP_BOGUS is no engine option"))
    broken = copy.deepcopy(main)
    broken["Parameters"]["Unused"] = {"Type": "String"}
    cases.append(("stray parameter", check_main(broken, options, install_doc),
                  "parameter Unused is never used"))
    extra = options + [{"key": "new_knob", "env": "SPOTSWAP_NEW_KNOB", "default": "1"}]
    cases.append(("option added to the engine", check_main(main, extra, install_doc),
                  "option new_knob has no parameter NewKnob"))
    cases.append(("undocumented", check_main(main, options, install_doc.replace(
        "`Concurrency`", "")), "Concurrency is not documented"))
    broken = copy.deepcopy(member)
    for res in broken["Resources"].values():
        if res["Type"] == "AWS::IAM::Role":
            res["Properties"]["AssumeRolePolicyDocument"]["Statement"][0].pop("Condition", None)
            res["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][1]["Action"] = "*"
    errs = check_member(main, broken)
    cases.append(("member trust without ExternalId", errs, "no sts:ExternalId"))
    cases.append(("member statement widened", errs, "differs from the main template"))
    broken = copy.deepcopy(regional)
    for res in broken["Resources"].values():
        if res["Type"] == "AWS::Events::Rule":
            res["Properties"]["EventPattern"]["detail-type"] = [INTERRUPTION]
    cases.append(("regional pattern differs", check_regional(main, broken), "regional rule"))
    if binary:
        broken = copy.deepcopy(main)
        broken["Parameters"]["ExternalId"]["Default"] = "x"
        cases.append(("a default the engine refuses", check_binary(binary, broken, options),
                      "SPOTSWAP_EXTERNAL_ID"))
    failed = 0
    for what, errs, expect in cases:
        if not any(expect in e for e in errs):
            print("self-test FAILED: %s: expected %r in %r" % (what, expect, errs))
            failed += 1
    print("self-test: %d of %d breakages detected" % (len(cases) - failed, len(cases)))
    return failed == 0


def main():
    args = sys.argv[1:]
    binary = None
    if "--binary" in args:
        binary = args[args.index("--binary") + 1]
    options = read_options(os.path.join(ROOT, "engine", "sps_engine_config_list.h"))
    with open(os.path.join(ROOT, "docs", "install.md"), encoding="utf-8") as f:
        install_doc = f.read()
    main_t = load_template("spotswap.yaml")
    member = load_template("member-account.yaml")
    regional = load_template("regional.yaml")
    if "--self-test" in args:
        return 0 if self_test(main_t, member, regional, options, install_doc, binary) else 1
    errors = check_main(main_t, options, install_doc)
    errors += check_member(main_t, member)
    errors += check_regional(main_t, regional)
    if binary:
        errors += check_binary(binary, main_t, options)
    for e in errors:
        print("error: " + e)
    print("%d engine options, %d template parameters, %d errors"
          % (len(options), len(main_t["Parameters"]), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
