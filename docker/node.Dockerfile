# Tether proxy node image. Multi-stage: Maven builds the fat jar, a Java 17 runtime runs it with the
# launcher's JVM options (heap, and the module access Hazelcast asks for: HazelcastSetup.JVM_OPTIONS).
# Build from the repository root:  docker build -f docker/node.Dockerfile -t tether-node .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -pl proxy-verticle -am package -DskipTests

FROM eclipse-temurin:17-jre
# curl: the compose health check asks the node's /ready
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/proxy-verticle/target/proxy-verticle-0.1.0-SNAPSHOT-fat.jar /opt/tether/proxy.jar
COPY docker/tether-docker.yaml /etc/tether/tether.yaml
USER nobody
WORKDIR /tmp
# MySQL protocol, HTTP (health, ready, metrics), Hazelcast
EXPOSE 6033 9033 5701
# the command adds dotted overrides, e.g. cluster.host=172.28.0.31 cluster.nodeId=proxy-1
ENTRYPOINT ["java", "-Xms128m", "-Xmx1g", "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED", "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-jar", "/opt/tether/proxy.jar", "--config", "/etc/tether/tether.yaml"]
