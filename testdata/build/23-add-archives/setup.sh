#!/bin/sh
mkdir -p t/inner && echo one > t/one && echo two > t/inner/two && ln -s one t/l
tar -C t -cf plain.tar . && tar -C t -czf gz.tgz . && tar -C t -cjf bz.bin . && tar -C t -cJf xz.archive .
rm -rf t
