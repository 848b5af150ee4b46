"""
Starts moto's server (the AWS API emulator of the deploy tests) with the patches of
moto_patches.py applied: `python3 moto_launcher.py PORT [CERT KEY]`. Listens on 127.0.0.1 only.
With CERT and KEY it serves HTTPS: the state bucket's TLS-only policy (aws:SecureTransport) is
enforced by moto too, so Terraform must reach it over TLS as it reaches AWS.
"""
import sys

try:
    import moto
    from moto.server import main as moto_server_main
except ImportError as e:  # Fail loudly with what to install: PyPI is not reachable on these machines.
    sys.stderr.write(
        f"moto_server not available ({e}): the deploy tests need moto 5.2.1 with its server in this python3 "
        f"({sys.executable}); install it with `pip install 'moto[server]==5.2.1'` where PyPI is reachable\n"
    )
    sys.exit(3)

sys.path.insert(0, __import__("os").path.dirname(__file__))
import moto_patches  # noqa: E402

def serve_one_request_at_a_time():
    """
    moto's server answers each request on a thread of its own, but its models take no locks: a CI
    run's tenant apply failed once with InvalidPermission.Duplicate on one of four security group
    rules Terraform created at the same moment, each a different rule, and that rule was then missing.
    AWS applies each call whole; so does the emulator now, one request at a time (each is a few
    milliseconds; nothing in moto waits inside a request).
    """
    import threading
    import moto.server

    lock = threading.Lock()
    serve = moto.server.run_simple

    def serialized(host, port, app, **kwargs):
        def one_at_a_time(environ, start_response):
            with lock:
                # The body is made inside the lock too: a response iterable may read the models.
                return list(app(environ, start_response))

        return serve(host, port, one_at_a_time, **kwargs)

    moto.server.run_simple = serialized


if __name__ == "__main__":
    if len(sys.argv) not in (2, 4) or not sys.argv[1].isdigit():
        sys.stderr.write("usage: moto_launcher.py PORT [CERT KEY]\n")
        sys.exit(2)
    if moto.__version__ != "5.2.1":
        sys.stderr.write(f"moto {moto.__version__}: the patches were written for 5.2.1; run test_moto_patches.py to see which are still needed\n")
    tls = ["-c", sys.argv[2], "-k", sys.argv[3]] if len(sys.argv) == 4 else []
    moto_patches.apply_all(served_over_tls=bool(tls))
    serve_one_request_at_a_time()
    moto_server_main(["-H", "127.0.0.1", "-p", sys.argv[1], *tls])
