String log = new File(basedir, 'build.log').text
assert log.count('gantry: skipped (gantry.skip=true)') == 2
assert log.contains('BUILD SUCCESS')
assert !new File(basedir, 'target/gantry').exists()
assert !new File(basedir, 'target/gantry-store').exists()
return true
