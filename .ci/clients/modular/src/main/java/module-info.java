/** A modular client of the kernels: no --add-modules flag, the kernels' module brings jdk.incubator.vector. */
module org.scratchnet.example.modular {
    requires org.scratchnet.kernels;
}
