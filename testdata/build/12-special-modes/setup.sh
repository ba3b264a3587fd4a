#!/bin/sh
mkdir -p sticky
chmod 4755 suid
chmod 2755 sgid
chmod 1777 sticky
chmod 0751 exe
