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



@mock_aws
class BucketPolicySecureTransport(unittest.TestCase):
    def bucket(self):
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="ras-test-state", CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_object(Bucket="ras-test-state", Key="state", Body=b"{}")
        policy = {"Version": "2012-10-17", "Statement": [{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                  "Resource": ["arn:aws:s3:::ras-test-state", "arn:aws:s3:::ras-test-state/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
        s3.put_bucket_policy(Bucket="ras-test-state", Policy=__import__("json").dumps(policy))
        return s3

    def test_gap_without_patch(self):
        from moto.s3.models import s3_backends
        from moto.iam.access_control import PermissionResult

        self.bucket()
        bucket = s3_backends["123456789012"]["aws"].get_bucket("ras-test-state")
        self.assertEqual(bucket.get_permission("s3:GetObject", "arn:aws:s3:::ras-test-state/state"), PermissionResult.DENIED)

    def test_patched(self):
        from moto.s3.models import s3_backends
        from moto.iam.access_control import PermissionResult

        self.bucket()
        bucket = s3_backends["123456789012"]["aws"].get_bucket("ras-test-state")
        undo = moto_patches.patch_bucket_policy_secure_transport(served_over_tls=True)
        try:
            self.assertNotEqual(bucket.get_permission("s3:GetObject", "arn:aws:s3:::ras-test-state/state"), PermissionResult.DENIED)
        finally:
            undo()
        undo = moto_patches.patch_bucket_policy_secure_transport(served_over_tls=False)
        try:
            self.assertEqual(bucket.get_permission("s3:GetObject", "arn:aws:s3:::ras-test-state/state"), PermissionResult.DENIED)
        finally:
            undo()



@mock_aws
class TransitGatewayRouteAndTags(unittest.TestCase):
    def route(self):
        ec2 = boto3.client("ec2", region_name=REGION)
        gateway = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
        vpc, subnet = vpc_with_subnet(ec2)
        tags = [{"ResourceType": "transit-gateway-attachment", "Tags": [{"Key": "ras:vlan-id", "Value": "101"}]}]
        attachment = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=gateway, VpcId=vpc, SubnetIds=[subnet], TagSpecifications=tags)["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        table = ec2.create_transit_gateway_route_table(TransitGatewayId=gateway)["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
        ec2.create_transit_gateway_route(DestinationCidrBlock="172.16.10.0/24", TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment)
        routes = ec2.search_transit_gateway_routes(TransitGatewayRouteTableId=table, Filters=[{"Name": "type", "Values": ["static"]}])["Routes"]
        attached = ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[attachment])["TransitGatewayVpcAttachments"][0]
        return attachment, routes, attached.get("Tags", [])

    def test_gap_without_patch(self):
        _, routes, tags = self.route()
        self.assertEqual(routes[0].get("TransitGatewayAttachments", []), [])
        self.assertEqual(tags, [])

    def test_patched(self):
        with Patched("tgw-route-attachments"), Patched("tgw-attachment-tags"):
            attachment, routes, tags = self.route()
        self.assertEqual([a["TransitGatewayAttachmentId"] for a in routes[0]["TransitGatewayAttachments"]], [attachment])
        self.assertEqual(tags, [{"Key": "ras:vlan-id", "Value": "101"}])


@mock_aws
class RunInstancesTerminationProtection(unittest.TestCase):
    def protected(self):
        ec2 = boto3.client("ec2", region_name=REGION)
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        _, subnet = vpc_with_subnet(ec2)
        instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnet, DisableApiTermination=True)["Instances"][0]["InstanceId"]
        return ec2.describe_instance_attribute(InstanceId=instance, Attribute="disableApiTermination")["DisableApiTermination"]["Value"]

    def test_gap_without_patch(self):
        self.assertFalse(self.protected())

    def test_patched(self):
        with Patched("run-instances-termination-protection"):
            self.assertTrue(self.protected())


@mock_aws
class TrailByArn(unittest.TestCase):
    def trail(self):
        boto3.client("s3", region_name=REGION).create_bucket(Bucket="records", CreateBucketConfiguration={"LocationConstraint": REGION})
        trails = boto3.client("cloudtrail", region_name=REGION)
        return trails, trails.create_trail(Name="runs", S3BucketName="records")["TrailARN"]

    def test_gap_without_patch(self):
        trails, arn = self.trail()
        with self.assertRaises(Exception):  # KeyError in-process, HTTP 500 through the server
            trails.start_logging(Name=arn)

    def test_patched(self):
        trails, arn = self.trail()
        with Patched("trail-by-arn"):
            trails.start_logging(Name=arn)
            self.assertTrue(trails.get_trail_status(Name=arn)["IsLogging"])
            trails.stop_logging(Name=arn)
            self.assertFalse(trails.get_trail_status(Name=arn)["IsLogging"])
            trails.delete_trail(Name=arn)
            self.assertEqual(trails.describe_trails()["trailList"], [])


@mock_aws
class RunInstancesInterfaceGroups(unittest.TestCase):
    def instance_groups(self):
        ec2 = boto3.client("ec2", region_name=REGION)
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        vpc, subnet = vpc_with_subnet(ec2)
        group = ec2.create_security_group(GroupName="gateway", Description="gateway", VpcId=vpc)["GroupId"]
        # As the provider sends an instance with a fixed private address.
        interface = {"DeviceIndex": 0, "SubnetId": subnet, "PrivateIpAddress": "10.64.0.10", "Groups": [group]}
        instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, NetworkInterfaces=[interface])["Instances"][0]["InstanceId"]
        described = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
        return group, [g["GroupId"] for g in described["SecurityGroups"]], [g["GroupId"] for g in described["NetworkInterfaces"][0]["Groups"]]

    def test_gap_without_patch(self):
        group, on_instance, on_interface = self.instance_groups()
        self.assertEqual(on_interface, [group])
        self.assertEqual(on_instance, [])

    def test_patched(self):
        with Patched("run-instances-interface-groups"):
            group, on_instance, on_interface = self.instance_groups()
        self.assertEqual(on_instance, [group])
        self.assertEqual(on_interface, [group])


@mock_aws
class TransitGatewayAttachmentDeletedState(unittest.TestCase):
    def deleted(self):
        ec2 = boto3.client("ec2", region_name=REGION)
        gateway = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
        vpc, subnet = vpc_with_subnet(ec2)
        attachment = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=gateway, VpcId=vpc, SubnetIds=[subnet])["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        ec2.delete_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment)
        return ec2.describe_transit_gateway_vpc_attachments(TransitGatewayAttachmentIds=[attachment])["TransitGatewayVpcAttachments"]

    def test_gap_without_patch(self):
        self.assertEqual(self.deleted(), [])

    def test_patched(self):
        with Patched("tgw-attachment-deleted-state"):
            described = self.deleted()
        self.assertEqual([a["State"] for a in described], ["deleted"])


if __name__ == "__main__":
    unittest.main()
