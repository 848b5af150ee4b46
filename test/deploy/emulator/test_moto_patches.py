"""
Each patch of moto_patches.py: the gap without it (so an upgraded moto that fixed it is noticed)
and the behaviour the provider needs with it. Run: python3 -m unittest test_moto_patches (from
this folder); test/deploy/emulator.test.ts runs it.
"""
import os
import sys
import unittest

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "ap-northeast-1")

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
import moto_patches  # noqa: E402

REGION = "ap-northeast-1"


def vpc_with_subnet(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.64.0.0/24")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.64.0.0/26", AvailabilityZone="ap-northeast-1a")["Subnet"]["SubnetId"]
    return vpc, subnet


class Patched:
    """Applies one patch for the duration of a `with` block."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.undo = moto_patches.PATCHES[self.name]()

    def __exit__(self, *exc):
        self.undo()


@mock_aws
class MonitorInstances(unittest.TestCase):
    def start_instance(self):
        ec2 = boto3.client("ec2", region_name=REGION)
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        _, subnet = vpc_with_subnet(ec2)
        instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", SubnetId=subnet)["Instances"][0]["InstanceId"]
        return ec2, instance

    def test_gap_without_patch(self):
        ec2, instance = self.start_instance()
        with self.assertRaises(Exception):  # NotImplementedError in-process, HTTP 500 through the server
            ec2.monitor_instances(InstanceIds=[instance])

    def test_patched(self):
        ec2, instance = self.start_instance()
        with Patched("monitor-instances"):
            answer = ec2.monitor_instances(InstanceIds=[instance])
            self.assertEqual(answer["InstanceMonitorings"], [{"InstanceId": instance, "Monitoring": {"State": "enabled"}}])
            state = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["Monitoring"]["State"]
            self.assertEqual(state, "enabled")
            ec2.unmonitor_instances(InstanceIds=[instance])
            state = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["Monitoring"]["State"]
            self.assertEqual(state, "disabled")


@mock_aws
class FlowLogS3Prefix(unittest.TestCase):
    DESTINATION = "arn:aws:s3:::ras-test-logs/logs/flow/"

    def create(self):
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="ras-test-logs", CreateBucketConfiguration={"LocationConstraint": REGION})
        ec2 = boto3.client("ec2", region_name=REGION)
        vpc, _ = vpc_with_subnet(ec2)
        answer = ec2.create_flow_logs(ResourceType="VPC", ResourceIds=[vpc], TrafficType="ALL", LogDestinationType="s3", LogDestination=self.DESTINATION)
        return ec2, answer

    def test_gap_without_patch(self):
        _, answer = self.create()
        self.assertEqual(answer["FlowLogIds"], [])
        self.assertIn("does not exist", answer["Unsuccessful"][0]["Error"]["Message"])

    def test_patched(self):
        with Patched("flow-log-s3-prefix"):
            ec2, answer = self.create()
        self.assertEqual(answer["Unsuccessful"], [])
        flow_log = ec2.describe_flow_logs(FlowLogIds=answer["FlowLogIds"])["FlowLogs"][0]
        self.assertEqual(flow_log["LogDestination"], self.DESTINATION)

    def test_patched_still_refuses_a_missing_bucket(self):
        ec2 = boto3.client("ec2", region_name=REGION)
        vpc, _ = vpc_with_subnet(ec2)
        with Patched("flow-log-s3-prefix"):
            answer = ec2.create_flow_logs(ResourceType="VPC", ResourceIds=[vpc], TrafficType="ALL", LogDestinationType="s3", LogDestination="arn:aws:s3:::no-such-bucket/logs/")
        self.assertEqual(answer["FlowLogIds"], [])


@mock_aws
class TransitGatewayDefaultAssociation(unittest.TestCase):
    def attach(self, association):
        ec2 = boto3.client("ec2", region_name=REGION)
        gateway = ec2.create_transit_gateway(Options={"DefaultRouteTableAssociation": association, "DefaultRouteTablePropagation": "disable"})["TransitGateway"]
        vpc, subnet = vpc_with_subnet(ec2)
        attachment = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=gateway["TransitGatewayId"], VpcId=vpc, SubnetIds=[subnet])["TransitGatewayVpcAttachment"]
        default_table = ec2.describe_transit_gateways(TransitGatewayIds=[gateway["TransitGatewayId"]])["TransitGateways"][0]["Options"]["AssociationDefaultRouteTableId"]
        return ec2, attachment["TransitGatewayAttachmentId"], default_table

    def associations(self, ec2, table):
        return ec2.get_transit_gateway_route_table_associations(TransitGatewayRouteTableId=table)["Associations"]

    def test_gap_without_patch(self):
        ec2, attachment, table = self.attach("disable")
        # Associated although the gateway disables default association ...
        self.assertEqual([a["TransitGatewayAttachmentId"] for a in self.associations(ec2, table)], [attachment])
        # ... and the provider's disassociation fails, so the association never goes.
        with self.assertRaises(Exception):
            ec2.disassociate_transit_gateway_route_table(TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment)
        self.assertEqual(len(self.associations(ec2, table)), 1)

    def test_patched_no_association_when_disabled(self):
        with Patched("tgw-default-association"):
            ec2, attachment, table = self.attach("disable")
            self.assertEqual(self.associations(ec2, table), [])
            # The tenant's own route table can then take the attachment.
            own = ec2.create_transit_gateway_route_table(TransitGatewayId=ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[attachment])["TransitGatewayAttachments"][0]["TransitGatewayId"])["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
            ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=own, TransitGatewayAttachmentId=attachment)
            self.assertEqual([a["TransitGatewayAttachmentId"] for a in self.associations(ec2, own)], [attachment])

    def test_patched_disassociates_the_implicit_association(self):
        with Patched("tgw-default-association"):
            ec2, attachment, table = self.attach("enable")
            self.assertEqual(len(self.associations(ec2, table)), 1)
            ec2.disassociate_transit_gateway_route_table(TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment)
            self.assertEqual(self.associations(ec2, table), [])


if __name__ == "__main__":
    unittest.main()
