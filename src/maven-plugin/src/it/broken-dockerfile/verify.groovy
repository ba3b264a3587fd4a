String log = new File(basedir, 'build.log').text
assert log.contains('Dockerfile:2:1: COPY requires at least two arguments')
assert log.contains('BUILD FAILURE')
assert !new File(basedir, 'target/gantry/image').exists()
return true
