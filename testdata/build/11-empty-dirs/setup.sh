#!/bin/sh
mkdir -p empty nested/empty2
chmod 0700 nested/empty2
