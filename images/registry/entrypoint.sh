#!/bin/sh
# Same argument rules as the official image: a config file means `registry serve FILE`,
# a registry subcommand or flag goes to the registry, anything else runs as given.
set -e
case "$1" in
  *.yaml|*.yml) set -- registry serve "$@" ;;
  serve|garbage-collect|help|-*) set -- registry "$@" ;;
esac
exec "$@"
