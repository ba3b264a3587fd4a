package dev.gantry.registry;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK's default TLS context, set up when the first TLS connection is made rather than when
 * the HTTP client is built: setting it up reads and parses the trust store, a tenth of a second of
 * a short build that may talk only to a loopback registry over plain HTTP. Everything is delegated
 * to {@link SSLContext#getDefault()}, so certificates are checked exactly as by the default context.
 *
 * <p>The HTTP client asks a context for its default parameters when it is built; a client using
 * this context is given {@link #parameters()} instead, which leave protocols and cipher suites to the
 * default context's engines (the client adds host name checking and SNI to each connection).
 */
final class DeferredTlsContext extends SSLContext {
  private final Deferred spi;

  private DeferredTlsContext(Deferred spi) {
    super(spi, null, "Default");
    this.spi = spi;
  }

  /** The default context, not set up yet. */
  static DeferredTlsContext create() {
    return of(() -> {
      try {
        return SSLContext.getDefault();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("this Java runtime has no default TLS context", e);
      }
    });
  }

  /** The context {@code setUp} returns, asked for once, when the first TLS connection is made. */
  static DeferredTlsContext of(Supplier<SSLContext> setUp) {
    return new DeferredTlsContext(new Deferred(setUp));
  }

  /** The parameters to build a client with: none set, so each engine keeps the default context's. */
  static SSLParameters parameters() {
    return new SSLParameters();
  }

  /** Whether a connection has needed TLS, so that the default context was set up. */
  boolean isSetUp() {
    return spi.real != null;
  }

  private static final class Deferred extends SSLContextSpi {
    private final Supplier<SSLContext> setUp;
    private volatile SSLContext real;

    Deferred(Supplier<SSLContext> setUp) {
      this.setUp = setUp;
    }

    private SSLContext real() {
      SSLContext r = real;
      if (r == null) {
        synchronized (this) {
          r = real;
          if (r == null) {
            r = setUp.get();
            real = r;
          }
        }
      }
      return r;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
      throw new KeyManagementException("the default TLS context is not initialised again");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return real().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return real().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return real().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return real().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return real().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return real().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return real().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return real().getSupportedSSLParameters();
    }
  }
}
