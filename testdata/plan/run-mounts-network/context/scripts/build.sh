#!/bin/sh
echo building "$@"
