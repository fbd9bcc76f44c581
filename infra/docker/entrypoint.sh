#!/bin/sh
# Runs one ScholarPay service from the shared image: SERVICE=<app> (or the first argument).
set -eu
service="${1:-${SERVICE:-}}"
case "$service" in
  enrolment|eligibility|payments|exams|mobile-money) ;;
  "")
    echo "scholarpay: set SERVICE to one of: enrolment, eligibility, payments, exams, mobile-money" >&2
    exit 64
    ;;
  *)
    echo "scholarpay: unknown SERVICE \"$service\"; expected one of: enrolment, eligibility, payments, exams, mobile-money" >&2
    exit 64
    ;;
esac
# exec: node replaces this shell, so SIGTERM from `docker stop` reaches Nest's shutdown hooks.
exec node --enable-source-maps "/app/dist/apps/$service/src/main.js"
