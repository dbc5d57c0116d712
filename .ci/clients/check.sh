#!/usr/bin/env bash
# Adopting scratchnet as a stranger would: installs the project into a temporary Maven repository (never ~/.m2, which
# is only read, as a fallback for plugins and dependencies), then builds two fresh client projects against it and runs
# them:
#   modular/    a named module that requires org.scratchnet.kernels: built and run on the module path without
#               --add-modules (the kernels' module brings jdk.incubator.vector), then linked by jlink and run again
#   classpath/  kernels and core on the class path: run with --add-modules jdk.incubator.vector (vector kernels) and
#               without it (scalar kernels after one warning)
# and checks what the installed artifacts carry: sources and javadoc jars that a client resolves, the licence in every
# jar, the POM's licence, and the module declaration of kernels / Automatic-Module-Name of the others.
#
# Usage: .ci/clients/check.sh            (JAVA_HOME selects the JDK, else the java on the PATH)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

if [[ -n "${JAVA_HOME:-}" ]]; then
  jdk="$JAVA_HOME"
else
  jdk="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
fi
export JAVA_HOME="$jdk"
java="$jdk/bin/java"
jar="$jdk/bin/jar"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
mvn=(./mvnw -B -q -Dmaven.repo.local="$repo" -Dmaven.repo.local.tail="$HOME/.m2/repository")
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)"

fail() {
  echo "clients: FAILED: $*" >&2
  exit 1
}

# expect OUTPUT LINE...: each line must appear in OUTPUT as a whole line
expect() {
  local out="$1"
  shift
  for line in "$@"; do
    grep -qxF -- "$line" <<<"$out" || fail "expected the line '$line', found:"$'\n'"$out"
  done
}

echo "clients: JDK $("$java" -version 2>&1 | head -n 1), installing scratchnet $version into a temporary repository" >&2
"${mvn[@]}" install -pl kernels,core,mnist,cli -am -DskipTests

# ---- what was installed
dir="$repo/org/scratchnet"
grep -q "<name>Apache-2.0</name>" "$dir/scratchnet-parent/$version/scratchnet-parent-$version.pom" \
  || fail "the installed parent POM names no Apache-2.0 licence"
for module in kernels core mnist cli; do
  for suffix in "" -sources -javadoc; do
    file="$dir/scratchnet-$module/$version/scratchnet-$module-$version$suffix.jar"
    [[ -f $file ]] || fail "expected $file, found none"
    "$jar" tf "$file" | grep -qx "META-INF/LICENSE" || fail "no META-INF/LICENSE in $file"
  done
done
kernels_jar="$dir/scratchnet-kernels/$version/scratchnet-kernels-$version.jar"
described="$("$jar" --describe-module --file "$kernels_jar")"
# two packages: the kernels' API, and org.scratchnet.io (the file writer and opener that core, mnist and cli share,
# docs/decisions/0020-one-file-writer-in-kernels.md); nothing else
expect "$described" "requires jdk.incubator.vector" "exports org.scratchnet.kernels" "exports org.scratchnet.io"
grep -q "^org.scratchnet.kernels" <<<"$described" || fail "kernels is not the module org.scratchnet.kernels: $described"
[[ $(grep -c "^exports" <<<"$described") -eq 2 ]] \
  || fail "kernels exports more than org.scratchnet.kernels and org.scratchnet.io: $described"
for module in core mnist cli; do
  file="$dir/scratchnet-$module/$version/scratchnet-$module-$version.jar"
  manifest="$(cd "$work" && "$jar" xf "$file" META-INF/MANIFEST.MF && tr -d '\r' <META-INF/MANIFEST.MF && rm -r META-INF)"
  expect "$manifest" "Automatic-Module-Name: org.scratchnet.$module"
done

# ---- the two clients, copied out of the repository as fresh projects
build_client() {
  local name="$1"
  cp -r ".ci/clients/$name" "$work/$name"
  "${mvn[@]}" -f "$work/$name/pom.xml" package -Dscratchnet.version="$version"
  for module in "${@:2}"; do
    for classifier in sources javadoc; do
      [[ -f "$work/$name/target/attached/scratchnet-$module-$version-$classifier.jar" ]] \
        || fail "$name: the $classifier jar of scratchnet-$module did not resolve"
    done
  done
}
gemm="c=58.0,64.0,139.0,154.0"

build_client modular kernels
mp="$work/modular/target/modular-client-1.jar:$work/modular/target/lib"
main=org.scratchnet.example.modular/org.scratchnet.example.modular.Main
out="$("$java" -p "$mp" -m "$main" 2>"$work/err")" || fail "modular client: $(cat "$work/err")"
expect "$out" "$gemm" "backend=VECTOR" "module=org.scratchnet.kernels"
"$jdk/bin/jlink" --module-path "$mp" --add-modules org.scratchnet.example.modular --output "$work/image" 2>"$work/err" \
  || fail "jlink of the modular client: $(cat "$work/err")"
out="$("$work/image/bin/java" -m "$main" 2>"$work/err")" || fail "jlinked modular client: $(cat "$work/err")"
expect "$out" "$gemm" "backend=VECTOR" "module=org.scratchnet.kernels"

build_client classpath kernels core
cp="$work/classpath/target/classpath-client-1.jar:$work/classpath/target/lib/*"
out="$("$java" --add-modules jdk.incubator.vector -cp "$cp" org.scratchnet.example.classpath.Main 2>"$work/err")" \
  || fail "class-path client: $(cat "$work/err")"
expect "$out" "$gemm" "backend=VECTOR" "module=null"
grep -q "^classes=3 top=[0-2]$" <<<"$out" || fail "class-path client: no prediction in: $out"
out="$("$java" -cp "$cp" org.scratchnet.example.classpath.Main 2>"$work/err")" \
  || fail "class-path client without the flag: $(cat "$work/err")"
expect "$out" "$gemm" "backend=SCALAR"
grep -q "jdk.incubator.vector is not available" "$work/err" \
  || fail "class-path client without the flag: no warning on stderr: $(cat "$work/err")"

echo "clients: modular (module path and jlink) and class-path clients built against the installed artifacts and ran" >&2
