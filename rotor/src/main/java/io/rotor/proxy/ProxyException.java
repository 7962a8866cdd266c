package io.rotor.proxy;

/** The backend could not be asked, or answered something that is not a proxy answer. */
final class ProxyException extends RuntimeException {

  ProxyException(String message) {
    super(message, null, false, false);
  }
}
