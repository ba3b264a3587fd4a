String log = new File(basedir, 'build.log').text
assert log.contains('gantry:build')
assert log.contains('gantry:buildTar')
def shared = ['allowInsecureRegistries', 'cacheDirectory', 'contextDirectory', 'dockerfile', 'image', 'noCache',
    'platform', 'skip', 'sourceDateEpoch', 'tags', 'target']
// map parameters: Maven cannot convert a property into a map, the plugin reads -Dgantry.NAME=K=V,K2=V2 itself
for (String p : ['buildArgs', 'buildContexts', 'labels']) {
  assert log.count("-Dgantry.${p}=") == 2 : "no command-line form documented for ${p}"
}
for (String p : shared + ['outputDirectory', 'push', 'outputFile']) {
  assert log.contains("User property: gantry.${p}") : "no user property for ${p}"
}
// every shared parameter is listed for both build goals (gantry:prune also has cacheDirectory and skip)
for (String p : shared) {
  assert log.count("User property: gantry.${p}\n") + log.count("User property: gantry.${p}\r\n") >= 2 : p
}
assert log.contains('(Default: ${project.build.outputTimestamp})')
assert log.contains('(Default: ${project.build.directory}/gantry/image)')
assert log.contains('(Default: ${project.build.directory}/gantry/image.tar)')
assert log.contains('settings.xml')
return true
