# Tether coordinator image. Multi-stage: Maven builds the fat jar, a Java 17 runtime runs it with the
# launcher's JVM options (heap, and the module access Hazelcast asks for: HazelcastSetup.JVM_OPTIONS).
# Build from the repository root:  docker build -f docker/coordinator.Dockerfile -t tether-coordinator .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -pl coordinator-verticle -am package -DskipTests

FROM eclipse-temurin:17-jre
# curl: the compose health check asks the admin API's /health
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/coordinator-verticle/target/coordinator-verticle-0.1.0-SNAPSHOT-fat.jar /opt/tether/coordinator.jar
COPY docker/tether-docker.yaml /etc/tether/tether.yaml
USER nobody
WORKDIR /tmp
# admin API (active coordinator only), Hazelcast
EXPOSE 8033 5701
# the command adds dotted overrides, e.g. cluster.host=172.28.0.21 cluster.nodeId=coordinator-1
ENTRYPOINT ["java", "-Xms128m", "-Xmx1g", "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED", "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-jar", "/opt/tether/coordinator.jar", "--config", "/etc/tether/tether.yaml"]
