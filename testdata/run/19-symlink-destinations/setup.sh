#!/bin/sh
cp "$GANTRY_TEST_ROOTFS" base.tar
