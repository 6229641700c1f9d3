#!/bin/sh
# `npm ci` with retries. The registry sometimes cuts a download short
# (ECONNRESET, "Invalid response body ... aborted"), which npm's own fetch
# retries do not cover; one reset must not fail a build or a CI run.
#
#   sh cmake/npm_ci.sh NPM [npm ci options...]
npm=$1
shift
attempt=1
while :; do
  "$npm" ci "$@" && exit 0
  [ "$attempt" -ge 3 ] && exit 1
  echo "npm ci failed (attempt $attempt of 3); trying again in $((attempt * 10)) s" >&2
  sleep $((attempt * 10))
  attempt=$((attempt + 1))
done
