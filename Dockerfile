# Build stage: the fat jar. Run stage: a JRE with the jar and the default config.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY rotor/pom.xml rotor/pom.xml
COPY rotor/src/main rotor/src/main
COPY rotor-server/pom.xml rotor-server/pom.xml
RUN mvn -B -ntp -q package -Dmaven.test.skip=true

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/rotor.jar /app/rotor.jar
COPY conf /app/conf
EXPOSE 8000 5701 5801
CMD ["java", "-jar", "/app/rotor.jar", "--config", "/app/conf/config.json"]
