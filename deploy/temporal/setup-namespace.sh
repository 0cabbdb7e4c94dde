#!/bin/sh
# Once the Temporal server answers (docker-compose.yml's temporal-setup service, on the
# temporalio/admin-tools image): the namespace BookIT runs in, and the search attributes its
# workflows upsert (src/contracts/search-attributes.ts; a workflow upserting an unknown one fails its
# task). The dev server and temporalio/auto-setup made both by themselves; a real server starts with
# neither. Idempotent: what exists is left as it is. Server from TEMPORAL_ADDRESS; TEMPORAL_NAMESPACE
# (default `default`), NAMESPACE_RETENTION (how long closed workflows' histories are kept, default 72h).
set -eu

namespace=${TEMPORAL_NAMESPACE:-default}
retention=${NAMESPACE_RETENTION:-72h}

until temporal operator cluster health 2>/dev/null | grep -q SERVING; do
  echo "temporal-setup: waiting for the server at $TEMPORAL_ADDRESS"
  sleep 2
done

if temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  echo "temporal-setup: namespace $namespace exists"
else
  temporal operator namespace create --namespace "$namespace" --retention "$retention"
  echo "temporal-setup: namespace $namespace created (retention $retention)"
fi

# A new namespace reaches the frontend's cache a few seconds after it is made.
attempts=0
until existing=$(temporal operator search-attribute list --namespace "$namespace" 2>/dev/null); do
  attempts=$((attempts + 1))
  if [ "$attempts" -ge 30 ]; then
    echo "temporal-setup: namespace $namespace does not answer" >&2
    exit 1
  fi
  sleep 1
done

for attribute in BookingPhase:Keyword VenueId:Int EventStart:Datetime; do
  name=${attribute%%:*}
  type=${attribute#*:}
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "temporal-setup: search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$namespace" --name "$name" --type "$type"
    echo "temporal-setup: search attribute $name ($type) created"
  fi
done
