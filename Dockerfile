# vmsup daemon image: build with Maven, run on a JRE with QEMU.
#   docker build -t vmsup .        (docker-compose.yml does this for you)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY config-model/pom.xml config-model/
COPY qmp-client/pom.xml qmp-client/
COPY client/pom.xml client/
COPY supervisor/pom.xml supervisor/
# dependencies first, so source edits do not re-download them
RUN mvn -B -ntp -q -pl supervisor -am dependency:go-offline || true
COPY config-model/src config-model/src
COPY qmp-client/src qmp-client/src
COPY client/src client/src
COPY supervisor/src supervisor/src
RUN mvn -B -ntp -DskipTests -pl supervisor -am package

FROM eclipse-temurin:17-jre
# openssl: `vmsup cluster init` makes a fleet's certificates with it (the compose profile "fleet")
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends qemu-system-x86 qemu-utils genisoimage \
    openssl \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/supervisor/target/vmsup.jar /opt/vmsup/vmsup.jar
# The daemon runs as a dedicated user: QEMU with user-mode networking, QMP, disks in the state volume and /dev/kvm
# (docker-compose.kvm.yml adds the host's kvm group) need no root. What needs root: tap NICs and bridges
# (CAP_NET_ADMIN and /dev/net/tun: docker-compose.tap.yml runs the container as root), cgroup limits per VM and
# dropping each QEMU to its own uid.
RUN groupadd --system --gid 10001 vmsup \
 && useradd --system --uid 10001 --gid vmsup --home-dir /var/lib/vmsup --shell /usr/sbin/nologin vmsup \
 && install -d -o vmsup -g vmsup -m 0700 /var/lib/vmsup
# inside a container the API must listen on all interfaces to be reachable through the published port
ENV VMSUP_HTTP_HOST=0.0.0.0 \
    VMSUP_HTTP_PORT=7480 \
    VMSUP_STATE_DIR=/var/lib/vmsup
VOLUME /var/lib/vmsup
USER vmsup
EXPOSE 7480
STOPSIGNAL SIGTERM
# memory (docs/operations.md "Memory"): the serial GC, a heap from 16 MiB growing to 1 GiB, C1 only, native memory trimmed
# every 5 s, two malloc arenas; -e VMSUP_JAVA_OPTS=-Xmx2g overrides (it comes last); exec keeps java as PID 1 so
# SIGTERM reaches it
ENV VMSUP_JAVA_OPTS="" \
    MALLOC_ARENA_MAX=2
ENTRYPOINT ["/bin/sh", "-c", "exec java --enable-native-access=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED -XX:+UseSerialGC -Xms16m -Xmx1g -XX:MaxDirectMemorySize=256m -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -XX:TrimNativeHeapInterval=5000 $VMSUP_JAVA_OPTS -jar /opt/vmsup/vmsup.jar run \"$@\"", "vmsup"]
