#!/usr/bin/env bash
# Uploads the Lambda zip and deploys spotswap with the AWS CLI (docs/install.md).
#
#   deploy/deploy.sh --bucket B --region R [--stack NAME] [--zip FILE] [--arch x86_64|arm64]
#                    [-- Name=Value ...]          the main stack (spotswap.yaml)
#   deploy/deploy.sh --regional --region R --bus EVENT_BUS_ARN [--stack NAME]
#                                                the forwarding stack (regional.yaml) in region R
#
# The zip is stored as s3://B/spotswap/<sha256>.zip, so an unchanged build leaves the function
# alone and a new one updates it. Parameters after `--` are CloudFormation parameter overrides
# (e.g. ReportOnly=true Regions=eu-west-1). The member-account role is a StackSet (see
# docs/install.md), which this script does not create.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
templates="$here/cloudformation"
bucket=""
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
stack=""
zip=""
arch=""
regional=0
bus=""
overrides=()

usage() { sed -n '2,12p' "$0" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
  --bucket) bucket=$2; shift 2 ;;
  --region) region=$2; shift 2 ;;
  --stack) stack=$2; shift 2 ;;
  --zip) zip=$2; shift 2 ;;
  --arch) arch=$2; shift 2 ;;
  --regional) regional=1; shift ;;
  --bus) bus=$2; shift 2 ;;
  --) shift; overrides=("$@"); break ;;
  -h | --help) usage ;;
  *) echo "deploy.sh: unknown argument '$1'" >&2; usage ;;
  esac
done

[ -n "$region" ] || { echo "deploy.sh: --region is required" >&2; exit 2; }
command -v aws >/dev/null || { echo "deploy.sh: the AWS CLI (aws) is required" >&2; exit 1; }

if [ "$regional" -eq 1 ]; then
  [ -n "$bus" ] || { echo "deploy.sh: --regional needs --bus (the main stack's EventBusArn)" >&2; exit 2; }
  aws cloudformation deploy --region "$region" --stack-name "${stack:-spotswap-regional}" \
    --template-file "$templates/regional.yaml" --capabilities CAPABILITY_IAM \
    --no-fail-on-empty-changeset --parameter-overrides "TargetEventBusArn=$bus"
  exit 0
fi

[ -n "$bucket" ] || { echo "deploy.sh: --bucket is required (where the zip is uploaded)" >&2; exit 2; }
stack=${stack:-spotswap}
if [ -z "$arch" ]; then
  case "$(uname -m)" in aarch64) arch=arm64 ;; *) arch=x86_64 ;; esac
fi
case "$arch" in x86_64 | arm64) ;; *) echo "deploy.sh: --arch is x86_64 or arm64" >&2; exit 2 ;; esac
zip=${zip:-$here/../build/lambda/spotswap-$arch.zip}
[ -f "$zip" ] || { echo "deploy.sh: $zip not found: run deploy/package.sh first" >&2; exit 1; }
zip -sf "$zip" | grep -qx '  bootstrap' ||
  { echo "deploy.sh: $zip has no bootstrap at its root" >&2; exit 1; }

key="spotswap/$(sha256sum "$zip" | cut -d' ' -f1).zip"
if ! aws s3api head-object --region "$region" --bucket "$bucket" --key "$key" >/dev/null 2>&1; then
  aws s3 cp --region "$region" --only-show-errors "$zip" "s3://$bucket/$key"
fi

aws cloudformation deploy --region "$region" --stack-name "$stack" \
  --template-file "$templates/spotswap.yaml" --capabilities CAPABILITY_NAMED_IAM \
  --no-fail-on-empty-changeset \
  --parameter-overrides "CodeS3Bucket=$bucket" "CodeS3Key=$key" "Architecture=$arch" \
  "${overrides[@]}"

aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
  --query 'Stacks[0].Outputs' --output table
