#!/bin/sh
echo shared > a && ln a b && mkdir -p d && ln a d/c
